// `campaigns` (legacy campaigns; also sample_data.campaigns):
// campaigns rows with source 'legacy' (sample: 'sample'), type from
// adData.ctaType, status lower-cased, and the whole original item in
// legacy_data (its adData unwrapped when it was JSON text, rule 7, so that
// the data: URLs inside become blobs too).
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <cctype>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

std::string lower_trimmed(const std::optional<std::string>& text) {
  if (!text) return "";
  std::string s = *text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  s.erase(0, b);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string campaign_status(const std::optional<std::string>& status) {
  std::string s = lower_trimmed(status);
  return s.empty() ? "draft" : s;
}

Columns legacy_campaign_columns(Group& g, ojson& c, const Ns& ns, FieldTally& tally, std::optional<std::string>* ref,
                                std::optional<std::string>* product_row) {
  const char* entity = ns.sample ? "sample_campaigns" : "legacy_campaigns";
  Item it(c, entity, tally);
  const ojson* ad = it.object("adData");
  ref->reset();
  product_row->reset();
  std::optional<std::string> cta, starts, ends;
  Amount budget;
  const ojson* ad_name = nullptr;
  if (ad) {
    Item a(*ad, "adData", tally, entity, "adData.");
    *ref = a.id("productId");
    cta = a.text("ctaType");
    budget = a.amount("budget");
    starts = a.date("startDate", g.tz);
    ends = a.date("endDate", g.tz);
    ad_name = a.peek("campaignName");
    if (cta && *cta != "WHERE_TO_BUY" && *cta != "ADD_TO_CART") a.count("ctaType", FieldTally::Unreadable);
  }
  if (*ref) *product_row = resolve(g.db, ns.entity("products").c_str(), **ref);

  auto nonempty = [](std::optional<std::string> s) { return s && !s->empty() ? s : std::nullopt; };
  std::optional<std::string> name = nonempty(it.text("name"));
  if (!name) name = nonempty(text_of(ad_name));
  const Stamp created = stamp_or(it.date("createdAt", g.tz), now_stamp(g.now));
  const Stamp updated = stamp_or(it.date("updatedAt", g.tz), created);
  return {
      {"product_id", Value::of(*product_row)},
      {"name", Value::of(name.value_or(""))},
      {"type", Value::of(std::string(cta && *cta == "WHERE_TO_BUY" ? "Where to Buy" : "Add to Cart"))},
      {"status", Value::of(campaign_status(it.text("status")))},
      {"budget", Value::of(budget.cents)},
      {"currency", Value::of(budget.currency.empty() ? std::string("USD") : budget.currency)},
      {"starts_at", Value::of(starts)},
      {"ends_at", Value::of(ends)},
      {"legacy_data", Value::json(c)},
      {"source", Value::of(std::string(ns.sample ? "sample" : "legacy"))},
      {"created_at", Value::of(created)},
      {"updated_at", Value::of(updated)},
  };
}

void import_legacy_campaigns(Group& g, ojson& list, const Ns& ns, KeyResult& kr) {
  if (!list.is_array()) return;
  const char* entity = ns.sample ? "sample_campaigns" : "legacy_campaigns";
  RowBatch batch(g.db, "campaigns");
  for_each_object(g, list, kr, ns.sample ? "campaigns" : "", [&](ojson& c, std::int64_t index) {
    const KeyResult::ItemId item_id = kr.item(entity, c);
    const auto& canon = item_id.canon;
    const ojson enc = unwrap_fields(c, entity, "adData");
    replace_data_urls(c, g.blobs, kr.urls);

    std::optional<std::string> ref, product_row;
    Columns cols = legacy_campaign_columns(g, c, ns, kr.fields, &ref, &product_row);

    const std::string slot = g.ids.slot(entity, "", canon, index);
    Claim claim = g.ids.claim(entity, slot);
    ojson notes = batch.put(claim, cols);
    if (!enc.empty()) notes["enc"] = enc;
    MapRecord r = map_record(item_id, index);
    r.ref = ref;
    r.link = product_row;
    r.notes = std::move(notes);  // the original is legacy_data itself
    g.ids.record(entity, slot, claim, r);
  });
  batch.flush();
  g.progress.finish();
}

}  // namespace cs::legacy

CS_COLD_CODE_END
