// `backgrounds` (the fal.ai log): every object is an ai_generations row
// (type 'background', service 'fal', the item itself as response_data).
// It is linked (rule 10) when its productId resolves and its imageId is the
// canonical id of one of that product's images; a linked generation points
// at the image's background version with the same requestId, and gets one
// (entity generation_backgrounds) when the image has none.
#include "internal.hpp"

#include "db/cold_code.hpp"

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

std::optional<std::string> version_with_request(Database& db, const std::string& image_row, const Value& request_id) {
  if (request_id.kind != Value::Text) return std::nullopt;
  auto& st = db.cached("SELECT id FROM background_versions WHERE product_image_id = ?1 AND request_id = ?2 LIMIT 1");
  st.bind(1, std::string_view(image_row)).bind(2, std::string_view(request_id.s));
  std::optional<std::string> out;
  if (st.step()) out = st.column_text(0);
  st.reset();
  return out;
}

}  // namespace

void import_backgrounds(Group& g, ojson& list, KeyResult& kr) {
  if (!list.is_array()) return;
  RowBatch batch(g.db, "ai_generations"), versions(g.db, "background_versions");
  for_each_object(g, list, kr, "", [&](ojson& b, std::int64_t index) {
    const KeyResult::ItemId item_id = kr.item("ai_generations", b);
    const auto& canon = item_id.canon;
    replace_data_urls(b, g.blobs, kr.urls);

    Item it(b, "ai_generations", kr.fields);
    std::optional<std::string> product_ref = it.id("productId"), product_row, image_row;
    const auto image_canon = it.id("imageId");
    if (product_ref) product_row = resolve(g.db, "products", *product_ref);
    if (product_row && image_canon) image_row = resolve(g.db, "product_images", *image_canon, *product_row);
    if (image_row) kr.count("ai_generations_linked");

    const Stamp created = stamp_or(it.date("createdAt", g.tz), now_stamp(g.now));
    const Value request_id = Value::of(it.text("requestId"));
    const Value processing = Value::of(it.whole("processingTime"));
    const Value prompt = Value::of(it.text("prompt"));
    const Value url = Value::of(it.text("url"));
    Columns cols = {
        {"type", Value::of(std::string("background"))},
        {"prompt", prompt},
        {"service", Value::of(std::string("fal"))},
        {"request_id", request_id},
        {"response_data", Value::json(b)},
        {"processing_time", processing},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(created)},
    };
    const std::string slot = g.ids.slot("ai_generations", "", canon, index);
    Claim claim = g.ids.claim("ai_generations", slot);
    ojson notes = batch.put(claim, cols);

    std::optional<std::string> version;
    if (image_row) {
      version = version_with_request(g.db, *image_row, request_id);
      if (!version) {
        // The log knew a background the image list lost: give the image it.
        Claim vc = g.ids.claim("generation_backgrounds", slot);
        Columns vcols = {
            {"product_image_id", Value::of(*image_row)},
            {"url", url},
            {"prompt", prompt},
            {"request_id", request_id},
            {"processing_time", processing},
            {"metadata", Value::json(ojson{{"aiGenerationId", claim.row_id}})},
            {"is_active", Value::flag(false)},
            {"created_at", Value::of(created)},
            {"updated_at", Value::of(created)},
        };
        MapRecord vr = map_record(item_id, index);
        vr.parent = *image_row;
        vr.notes = versions.put(vc, vcols);
        g.ids.record("generation_backgrounds", slot, vc, vr);
        version = vc.row_id;
      }
      notes["backgroundVersion"] = *version;
    }
    MapRecord r = map_record(item_id, index);
    r.ref = product_ref;
    r.link = image_row;
    r.notes = std::move(notes);  // the original is response_data itself
    g.ids.record("ai_generations", slot, claim, r);
  });
  batch.flush();
  versions.flush();  // after the generations their metadata names
  g.progress.finish();
}

}  // namespace cs::legacy

CS_COLD_CODE_END
