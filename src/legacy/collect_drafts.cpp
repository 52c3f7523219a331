// `campaign_draft_{id}` and `campaign_minimal_{id}`: one campaign_drafts row
// per id (rule 9). When both keys hold a draft, the newer lastSaved wins
// (ties: the full one) and whatever the winner lacks comes from the other,
// recursively; list items with matching ids merge too, so a newer minimal
// draft gets its images and creative elements back from the full one.
//
// The draft belongs to the V2 or legacy campaign whose canonical id is the
// key's id (not the campaignId inside, which the app did not keep in step);
// a draft of no campaign is not dropped: a draft campaign is made for it.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "model/limits.hpp"

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

ojson merge(const ojson& winner, const ojson& other);

ojson merge_lists(const ojson& winner, const ojson& other) {
  ojson out = winner;
  for (ojson& item : out) {
    const ojson* idv = item.is_object() ? field(item, "id") : nullptr;
    const auto canon = idv ? canonical_id(*idv) : std::nullopt;
    if (!canon) continue;
    for (const ojson& o : other) {
      const ojson* oid = o.is_object() ? field(o, "id") : nullptr;
      if (oid && canonical_id(*oid) == canon) {
        item = merge(item, o);
        break;
      }
    }
  }
  return out;
}

ojson merge(const ojson& winner, const ojson& other) {
  if (!winner.is_object() || !other.is_object()) {
    if (winner.is_array() && other.is_array()) return merge_lists(winner, other);
    return winner;
  }
  ojson out = winner;
  for (auto it = other.begin(); it != other.end(); ++it) {
    auto mine = out.find(it.key());
    if (mine == out.end()) out[it.key()] = it.value();
    else *mine = merge(*mine, it.value());
  }
  return out;
}

std::optional<std::string> first_text(std::initializer_list<const ojson*> candidates) {
  for (const ojson* c : candidates) {
    auto t = text_of(c);
    if (t && !t->empty()) return t;
  }
  return std::nullopt;
}

// One key's draft with its own fields under their camelCase names (the
// spelling each was read from; the others, and nulls that gave way, are
// dropped: they are in the original). Fields no spelling could be read
// from, and unknown ones, stay as they were.
struct Draft {
  ojson value;
  std::optional<std::int64_t> saved;
  std::optional<std::string> created;
};

Draft read_draft(const ojson& v, FieldTally& tally, const TimeZone& tz) {
  Item it(v, "drafts", tally);
  std::map<std::string, std::string> chosen;  // spelling -> field
  std::set<std::string> read;                 // fields some spelling was read from
  auto note = [&](const char* name) {
    if (it.chosen().empty()) return;
    chosen[it.chosen()] = name;
    read.insert(name);
  };
  Draft d;
  for (const char* name : {"campaignId", "currentStep", "stepData", "isMinimal"}) {
    it.raw(name);
    note(name);
  }
  const auto saved = it.date("lastSaved", tz);
  note("lastSaved");
  if (saved) d.saved = clock::parse_iso(*saved);
  d.created = it.date("createdAt", tz);
  note("createdAt");
  it.text("name");
  note("name");
  const Fields& fields = fields_of("drafts");
  d.value = ojson::object();
  for (auto m = v.begin(); m != v.end(); ++m) {
    auto known = fields.by_spelling.find(m.key());
    if (known == fields.by_spelling.end()) {
      d.value[m.key()] = m.value();
      continue;
    }
    const std::string& name = fields.fields[known->second].name;
    if (auto c = chosen.find(m.key()); c != chosen.end()) d.value[name] = m.value();
    else if (!read.count(name)) d.value[m.key()] = m.value();
  }
  return d;
}

// A draft key's one row, written now, and its map record so far: the legacy
// id and the row's snapshot.
MapRecord write_now(Group& g, const char* table, const Claim& c, const Columns& cols, const ojson& legacy_id,
                    const std::optional<std::string>& canon) {
  MapRecord r;
  r.legacy_id = legacy_id;
  r.canon = canon;
  RowBatch batch(g.db, table);
  r.notes = batch.put(c, cols);
  batch.flush();
  return r;
}

// A campaign for a draft whose campaign exists nowhere.
std::string orphan_campaign(Group& g, const std::string& draft_id, const ojson& draft, const Stamp& created) {
  const ojson* step = field(draft, "stepData");
  const ojson* product = step ? field(*step, "product") : nullptr;
  std::optional<std::string> product_ref, product_row;
  if (product && product->is_object())
    if (const ojson* pid = field(*product, "id")) product_ref = canonical_id(*pid);
  if (product_ref) product_row = resolve(g.db, "products", *product_ref);
  const auto name = first_text({field(draft, "name"), step ? field(*step, "name") : nullptr,
                                step ? field(*step, "campaignName") : nullptr});
  ojson legacy = {{"id", draft_id}, {"orphanDraft", true}};
  Columns cols = {
      {"product_id", Value::of(product_row)},
      {"name", Value::of(name.value_or("Untitled draft"))},
      {"status", Value::of(std::string("draft"))},
      {"currency", Value::of(std::string("USD"))},
      {"legacy_data", Value::json(legacy)},
      {"source", Value::of(std::string("v2"))},
      {"created_at", Value::of(created)},
      {"updated_at", Value::of(created)},
  };
  const std::optional<std::string> canon = draft_id;
  const std::string slot = g.ids.slot("orphan_drafts", "", canon, 0);
  Claim c = g.ids.claim("orphan_drafts", slot);
  MapRecord r = write_now(g, "campaigns", c, cols, ojson(draft_id), canon);  // before the draft that refers to it
  r.ref = product_ref;
  r.link = product_row;
  g.ids.record("orphan_drafts", slot, c, r);
  return c.row_id;
}

}  // namespace

void import_draft(Group& g, const std::string& draft_id, std::vector<DraftInput>& inputs) {
  DraftInput* full = nullptr;
  DraftInput* minimal = nullptr;
  Draft drafts[2];  // full, minimal
  for (DraftInput& in : inputs) {
    if (in.parsed == nullptr || !in.parsed->ok) continue;
    ojson& v = in.parsed->value;
    in.result->rows = v.is_object() ? 1 : 0;  // a null value contributes nothing
    if (!v.is_object()) continue;
    in.result->count(in.full ? "draft_keys_full" : "draft_keys_minimal");
    replace_data_urls(v, g.blobs, in.result->urls);
    drafts[in.full ? 0 : 1] = read_draft(v, in.result->fields, g.tz);
    (in.full ? full : minimal) = &in;
  }
  if (!full && !minimal) return;

  Draft* winner = full ? &drafts[0] : &drafts[1];
  Draft* other = nullptr;
  bool minimal_won = !full;
  if (full && minimal) {
    const auto& f = drafts[0].saved;
    const auto& m = drafts[1].saved;
    minimal_won = m && (!f || *m > *f);
    winner = &drafts[minimal_won ? 1 : 0];
    other = &drafts[minimal_won ? 0 : 1];
  }
  ojson draft = other ? merge(winner->value, other->value) : winner->value;
  KeyResult& tally = *(full ? full : minimal)->result;  // the draft counts once, on one of its keys
  ojson id = draft_id;
  tally.id("drafts", &id);
  tally.count("drafts");

  const std::optional<std::string> canon = draft_id;
  std::optional<std::string> campaign = resolve(g.db, "v2_campaigns", draft_id);
  if (!campaign) campaign = resolve(g.db, "legacy_campaigns", draft_id);
  const auto when = [&](std::optional<std::int64_t> a, std::optional<std::int64_t> b) -> std::optional<std::string> {
    if (a) return clock::iso(*a);
    if (b) return clock::iso(*b);
    return std::nullopt;
  };
  const Stamp saved = stamp_or(when(winner->saved, other ? other->saved : std::nullopt), now_stamp(g.now));
  const Stamp created = stamp_or(winner->created ? winner->created : other ? other->created : std::nullopt, saved);
  if (!campaign) {
    tally.id("orphan_drafts", &id);
    tally.count("orphan_drafts");
    campaign = orphan_campaign(g, draft_id, draft, created);
  }
  auto expires = clock::parse_iso(g.now);
  Columns cols = {
      {"campaign_id", Value::of(*campaign)},
      {"step_data", Value::json(draft)},
      {"auto_saved_at", Value::of(saved)},
      {"expires_at", Value::of(Stamp{clock::iso((expires ? *expires : clock::now_ms()) + limits::kDraftLifetimeMs), true})},
      {"created_at", Value::of(created)},
      {"updated_at", Value::of(saved)},
  };
  const std::string slot = g.ids.slot("drafts", "", canon, 0);
  Claim c = g.ids.claim("drafts", slot);
  MapRecord r = write_now(g, "campaign_drafts", c, cols, id, canon);
  r.ref = draft_id;
  r.link = campaign;
  r.notes["winner"] = minimal_won ? "minimal" : "full";
  // Each key's own value (data: URLs as references): what the export gives
  // back for each key while the app has not changed the draft.
  r.notes["keys"] = ojson::object();
  if (full) r.notes["keys"]["full"] = full->parsed->value;
  if (minimal) r.notes["keys"]["minimal"] = minimal->parsed->value;
  g.ids.record("drafts", slot, c, r);
}

}  // namespace cs::legacy

CS_COLD_CODE_END
