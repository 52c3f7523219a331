// legacy_id_map: which row each legacy item became. An item's "slot" is
// stable across runs (its canonical id and which occurrence of it, or its
// position when it has no id), so a re-migration finds the row it made last
// time. Entries a re-migration no longer sees are marked stale, never
// deleted: their rows stay, and the report says so.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/uuid.hpp"

CS_COLD_CODE_BEGIN


namespace cs::legacy {

const char* table_of(const std::string& entity) {
  if (entity == "products" || entity == "sample_products") return "products";
  if (entity == "product_images" || entity == "sample_product_images") return "product_images";
  if (entity == "background_versions" || entity == "sample_background_versions" || entity == "generation_backgrounds")
    return "background_versions";
  if (entity == "legacy_campaigns" || entity == "v2_campaigns" || entity == "sample_campaigns" || entity == "orphan_drafts")
    return "campaigns";
  if (entity == "creatives") return "creatives";
  if (entity == "creative_assets") return "creative_assets";
  if (entity == "drafts") return "campaign_drafts";
  if (entity == "ai_generations") return "ai_generations";
  return nullptr;
}

IdMap::IdMap(Database& db, std::string group) : db_(db), group_(std::move(group)), batch_(db, "legacy_id_map", {"entity", "slot"}) {}

void IdMap::begin() {
  if (begun_) return;
  begun_ = true;
  auto& st = db_.cached("UPDATE legacy_id_map SET stale = 1 WHERE group_key = ?1");
  st.bind(1, std::string_view(group_));
  st.run();
}

std::string IdMap::slot(const char* entity, const std::string& parent, const std::optional<std::string>& canon,
                        std::int64_t index) {
  std::string base = parent.empty() ? std::string() : parent + "/";
  if (!canon) return base + "@" + std::to_string(index);  // missing ids never collide
  const int n = seen_[std::string(entity) + '\x1f' + base + *canon]++;
  return base + *canon + "#" + std::to_string(n);
}

Claim IdMap::claim(const char* entity, const std::string& slot) {
  auto& st = db_.cached("SELECT row_id, notes FROM legacy_id_map WHERE entity = ?1 AND slot = ?2");
  st.bind(1, std::string_view(entity)).bind(2, std::string_view(slot));
  Claim c;
  if (st.step()) {
    c.row_id = st.column_text(0);
    c.existed = true;
    if (!st.column_is_null(1)) parse_json(st.column_text_view(1), c.notes);
  } else {
    c.row_id = new_uuid();
  }
  st.reset();
  if (!c.notes.is_object()) c.notes = ojson::object();
  return c;
}

void IdMap::record(const char* entity, const std::string& slot, const Claim& claim, const MapRecord& r) {
  Columns row = {
      {"entity", Value::of(std::string(entity))},
      {"slot", Value::of(slot)},
      {"row_id", Value::of(claim.row_id)},
      {"legacy_id", Value::of(r.canon)},
      {"legacy_json", !r.legacy_id.is_null() ? Value::of(dump(r.legacy_id)) : Value::null()},
      {"group_key", Value::of(group_)},
      {"ordinal", Value::of(r.ordinal)},
      {"parent", Value::of(r.parent)},
      {"ref", Value::of(r.ref)},
      {"link", Value::of(r.link)},
      {"original", r.original != nullptr ? Value::of(dump(*r.original)) : Value::null()},
      {"notes", Value::of(dump(r.notes))},
      {"stale", Value::of(std::int64_t{0})},
  };
  batch_.add("", row);
}

std::optional<std::string> resolve(Database& db, const char* entity, const std::string& canon, const std::string& parent) {
  const char* table = table_of(entity);
  if (table == nullptr) return std::nullopt;
  // Rule 5: references resolve to the first occurrence in array order, and
  // only to a row that still exists.
  auto& st = db.cached(std::string("SELECT m.row_id FROM legacy_id_map m JOIN \"") + table +
                       "\" t ON t.id = m.row_id WHERE m.entity = ?1 AND m.legacy_id = ?2 AND m.parent = ?3 "
                       "AND m.stale = 0 ORDER BY m.ordinal LIMIT 1");
  st.bind(1, std::string_view(entity)).bind(2, std::string_view(canon)).bind(3, std::string_view(parent));
  std::optional<std::string> out;
  if (st.step()) out = st.column_text(0);
  st.reset();
  return out;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
