// products.*, images.*, backgrounds.*: the catalog (src/model/products_repo.cpp,
// images_repo.cpp).
#include "model/repos.hpp"
#include "ops.hpp"

namespace cs::ops {

namespace m = cs::model;

json products_create(Session& s, const json& a) { return m::products::create(s.db(), a); }
json products_get(Session& s, const json& a) { return m::products::get(s.db(), a); }
json products_list(Session& s, const json& a) { return m::products::list(s.db(), a); }
json products_update(Session& s, const json& a) { return m::products::update(s.db(), a); }
json products_delete(Session& s, const json& a) { return m::products::remove(s.db(), a); }

json images_add(Session& s, const json& a) { return m::images::add(s.db(), a); }
json images_list(Session& s, const json& a) { return m::images::list(s.db(), a); }
json images_update(Session& s, const json& a) { return m::images::update(s.db(), a); }
json images_set_primary(Session& s, const json& a) { return m::images::set_primary(s.db(), a); }
json images_delete(Session& s, const json& a) { return m::images::remove(s.db(), a); }

json backgrounds_add(Session& s, const json& a) { return m::backgrounds::add(s.db(), a); }
json backgrounds_activate(Session& s, const json& a) { return m::backgrounds::activate(s.db(), a); }
json backgrounds_list(Session& s, const json& a) { return m::backgrounds::list(s.db(), a); }
json backgrounds_delete(Session& s, const json& a) { return m::backgrounds::remove(s.db(), a); }

}  // namespace cs::ops
