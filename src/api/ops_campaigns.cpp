// campaigns.*, drafts.*, creatives.*, assets.*: the campaign builder
// (src/model/campaigns_repo.cpp, drafts_repo.cpp, creatives_repo.cpp).
#include "model/repos.hpp"
#include "ops.hpp"

namespace cs::ops {

namespace m = cs::model;

json campaigns_create(Session& s, const json& a) { return m::campaigns::create(s.db(), a); }
json campaigns_get(Session& s, const json& a) { return m::campaigns::get(s.db(), a); }
json campaigns_list(Session& s, const json& a) { return m::campaigns::list(s.db(), a); }
json campaigns_update(Session& s, const json& a) { return m::campaigns::update(s.db(), a); }
json campaigns_delete(Session& s, const json& a) { return m::campaigns::remove(s.db(), a); }
json campaigns_set_status(Session& s, const json& a) { return m::campaigns::set_status(s.db(), a); }

json drafts_save(Session& s, const json& a) { return m::drafts::save(s.db(), a); }
json drafts_get(Session& s, const json& a) { return m::drafts::get(s.db(), a); }
json drafts_delete(Session& s, const json& a) { return m::drafts::remove(s.db(), a); }
json drafts_cleanup(Session& s, const json& a) { return m::drafts::cleanup(s.db(), a); }

json creatives_create(Session& s, const json& a) { return m::creatives::create(s.db(), a); }
json creatives_get(Session& s, const json& a) { return m::creatives::get(s.db(), a); }
json creatives_list(Session& s, const json& a) { return m::creatives::list(s.db(), a); }
json creatives_update(Session& s, const json& a) { return m::creatives::update(s.db(), a); }
json creatives_delete(Session& s, const json& a) { return m::creatives::remove(s.db(), a); }

json assets_create(Session& s, const json& a) { return m::assets::create(s.db(), a); }
json assets_get(Session& s, const json& a) { return m::assets::get(s.db(), a); }
json assets_list(Session& s, const json& a) { return m::assets::list(s.db(), a); }
json assets_update(Session& s, const json& a) { return m::assets::update(s.db(), a); }
json assets_delete(Session& s, const json& a) { return m::assets::remove(s.db(), a); }

}  // namespace cs::ops
