// users.*, integrations.*, publications.*, ai.*: the account side
// (src/model/accounts_repo.cpp).
#include "model/repos.hpp"
#include "ops.hpp"

namespace cs::ops {

namespace m = cs::model;

json users_create(Session& s, const json& a) { return m::users::create(s.db(), a); }
json users_get(Session& s, const json& a) { return m::users::get(s.db(), a); }
json users_update(Session& s, const json& a) { return m::users::update(s.db(), a); }
json users_delete(Session& s, const json& a) { return m::users::remove(s.db(), a); }

json integrations_create(Session& s, const json& a) { return m::integrations::create(s.db(), a); }
json integrations_get(Session& s, const json& a) { return m::integrations::get(s.db(), a); }
json integrations_list(Session& s, const json& a) { return m::integrations::list(s.db(), a); }
json integrations_update(Session& s, const json& a) { return m::integrations::update(s.db(), a); }
json integrations_delete(Session& s, const json& a) { return m::integrations::remove(s.db(), a); }

json publications_create(Session& s, const json& a) { return m::publications::create(s.db(), a); }
json publications_get(Session& s, const json& a) { return m::publications::get(s.db(), a); }
json publications_list(Session& s, const json& a) { return m::publications::list(s.db(), a); }
json publications_update(Session& s, const json& a) { return m::publications::update(s.db(), a); }
json publications_delete(Session& s, const json& a) { return m::publications::remove(s.db(), a); }

json ai_create(Session& s, const json& a) { return m::ai::create(s.db(), a); }
json ai_get(Session& s, const json& a) { return m::ai::get(s.db(), a); }
json ai_list(Session& s, const json& a) { return m::ai::list(s.db(), a); }
json ai_update(Session& s, const json& a) { return m::ai::update(s.db(), a); }
json ai_delete(Session& s, const json& a) { return m::ai::remove(s.db(), a); }

}  // namespace cs::ops
