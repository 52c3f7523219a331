// Autosaved campaign-builder drafts. One live draft per campaign: saving
// updates it in place (refreshing autoSavedAt and pushing the expiry out),
// and folds away extra drafts of the same campaign that sync may have brought
// from another device (there is no unique index: it would wedge sync, see
// images_repo.cpp). Expired drafts are never returned and cleanup removes them.
#include "repo.hpp"
#include "repos.hpp"

#include "model/clock.hpp"
#include "model/limits.hpp"

namespace cs::model::drafts {

namespace {

std::vector<std::string> drafts_of(Database& db, std::string_view campaign) {
  Statement& q = db.cached(
      "SELECT id FROM campaign_drafts WHERE campaign_id = ?1 ORDER BY auto_saved_at DESC, rowid DESC");
  q.bind(1, campaign);
  std::vector<std::string> ids;
  while (q.step()) ids.push_back(q.column_text(0));
  return ids;
}

}  // namespace

json latest(Database& db, std::string_view campaign_id) {
  const TableSpec& t = spec::campaign_drafts();
  static const std::string sql = "SELECT " + t.select_list +
                                 " FROM campaign_drafts WHERE campaign_id = ?1 AND expires_at > ?2"
                                 " ORDER BY auto_saved_at DESC, rowid DESC LIMIT 1";
  Statement& q = db.cached(sql);
  q.bind(1, campaign_id);
  q.bind(2, std::string_view(clock::now_iso()));
  if (!q.step()) return nullptr;
  json out = read_row_raw(t, q);
  q.reset();
  return out;
}

json save(Database& db, const json& args) {
  const TableSpec& t = spec::campaign_drafts();
  only_args(args, {"campaignId", "stepData", "expiresAt"}, "drafts.save");
  if (!args.contains("stepData") || args["stepData"].is_null()) fail_field("stepData", "is required");
  Row given = parse_create(t, args);
  const std::int64_t now = clock::now_ms();
  const std::string saved_at = clock::iso(now);
  if (!args.contains("expiresAt") || args["expiresAt"].is_null())
    given.set(t, "expiresAt", clock::iso(now + limits::kDraftLifetimeMs));
  given.set(t, "autoSavedAt", saved_at);

  Transaction tx(db);
  check_references(db, t, given, "");
  const std::string campaign(text_of(*given.get(t, "campaignId")));
  auto existing = drafts_of(db, campaign);
  std::string id;
  if (existing.empty()) {
    insert_row(db, t, given);
    id = given.id;
  } else {
    id = existing.front();
    Row row = patch_row(t, id);
    row.set(t, "stepData", *given.get(t, "stepData"));
    row.set(t, "autoSavedAt", saved_at);
    row.set(t, "expiresAt", *given.get(t, "expiresAt"));
    update_row(db, t, row);
    for (std::size_t i = 1; i < existing.size(); ++i) delete_row(db, t, existing[i]);
  }
  json out = get_row_raw(db, t, id);
  tx.commit();
  return out;
}

json get(Database& db, const json& args) {
  only_args(args, {"campaignId"}, "drafts.get");
  return latest(db, parse_id(args, "campaignId"));
}

json remove(Database& db, const json& args) {
  only_args(args, {"campaignId"}, "drafts.delete");
  const std::string campaign = parse_id(args, "campaignId");
  Transaction tx(db);
  auto ids = drafts_of(db, campaign);
  for (const std::string& id : ids) delete_row(db, spec::campaign_drafts(), id);
  tx.commit();
  return {{"removed", ids.size()}};
}

json cleanup(Database& db, const json& args) {
  only_args(args, {}, "drafts.cleanup");
  Transaction tx(db);
  Statement& q = db.cached("SELECT id FROM campaign_drafts WHERE expires_at <= ?1");
  q.bind(1, std::string_view(clock::now_iso()));
  std::vector<std::string> ids;
  while (q.step()) ids.push_back(q.column_text(0));
  // Row by row through the write path, so each removal is a change of its own.
  for (const std::string& id : ids) delete_row(db, spec::campaign_drafts(), id);
  tx.commit();
  return {{"removed", ids.size()}};
}

}  // namespace cs::model::drafts
