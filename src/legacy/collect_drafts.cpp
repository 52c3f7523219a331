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

#include "campaign_store/clock.hpp"
#include "campaign_store/limits.hpp"

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

// A campaign for a draft whose campaign exists nowhere.
std::string orphan_campaign(Group& g, const std::string& draft_id, const ojson& draft, const Stamp& created) {
  const ojson* step = field(draft, "stepData");
  const ojson* product = step ? field(*step, "product") : nullptr;
  std::optional<std::string> product_ref, product_row;
  if (product && product->is_object())
    if (const ojson* pid = field(*product, "id")) product_ref = canonical_id(*pid);
  if (product_ref) product_row = resolve(g.db, "products", *product_ref);
  const auto name = first_text({field(draft, "name"), field(draft, "campaignName"), step ? field(*step, "name") : nullptr,
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
  ojson id = draft_id;
  MapRecord r;
  r.legacy_id = &id;
  r.canon = canon;
  r.ref = product_ref;
  r.link = product_row;
  RowBatch batch(g.db, "campaigns");
  r.notes = ojson::object();
  r.notes["snap"] = put_row(g.db, batch, "campaigns", c.row_id, cols, c);
  batch.flush();  // before the draft that refers to it
  g.ids.record("orphan_drafts", slot, c, r);
  return c.row_id;
}

}  // namespace

void import_draft(Group& g, const std::string& draft_id, std::vector<DraftInput>& inputs) {
  DraftInput* full = nullptr;
  DraftInput* minimal = nullptr;
  for (DraftInput& in : inputs) {
    if (in.parsed == nullptr || !in.parsed->ok) continue;
    ojson& v = in.parsed->value;
    in.result->rows = v.is_object() ? 1 : 0;  // a null value contributes nothing
    if (!v.is_object()) continue;
    in.result->count(in.full ? "draft_keys_full" : "draft_keys_minimal");
    replace_data_urls(v, g.blobs, in.result->urls);
    (in.full ? full : minimal) = &in;
  }
  if (!full && !minimal) return;

  DraftInput* winner = full ? full : minimal;
  DraftInput* other = nullptr;
  if (full && minimal) {
    const auto f = parse_date(field(full->parsed->value, "lastSaved"), g.tz);
    const auto m = parse_date(field(minimal->parsed->value, "lastSaved"), g.tz);
    const bool minimal_newer = m && (!f || *m > *f);
    winner = minimal_newer ? minimal : full;
    other = minimal_newer ? full : minimal;
  }
  ojson draft = other ? merge(winner->parsed->value, other->parsed->value) : winner->parsed->value;
  KeyResult& tally = *(full ? full : minimal)->result;  // the draft counts once, on one of its keys
  ojson id = draft_id;
  tally.id("drafts", &id);
  tally.count("drafts");

  const std::optional<std::string> canon = draft_id;
  std::optional<std::string> campaign = resolve(g.db, "v2_campaigns", draft_id);
  if (!campaign) campaign = resolve(g.db, "legacy_campaigns", draft_id);
  const Stamp saved = stamp_or(iso_date(field(draft, "lastSaved"), g.tz), now_stamp(g.now));
  const Stamp created = stamp_or(iso_date(field(draft, "createdAt"), g.tz), saved);
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
  MapRecord r;
  r.legacy_id = &id;
  r.canon = canon;
  r.ref = draft_id;
  r.link = campaign;
  RowBatch batch(g.db, "campaign_drafts");
  r.notes = ojson::object();
  r.notes["snap"] = put_row(g.db, batch, "campaign_drafts", c.row_id, cols, c);
  r.notes["winner"] = winner == full ? "full" : "minimal";
  batch.flush();
  g.ids.record("drafts", slot, c, r);
}

}  // namespace cs::legacy
