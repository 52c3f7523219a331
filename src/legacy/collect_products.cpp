// `products` (and sample_data.products): products -> products,
// images -> product_images, backgroundVersions -> background_versions.
//
// Every object in the list is a row, duplicates of an id included (rule 5);
// anything else is skipped and counted. `images` may be JSON text or one URL
// (rule 6). The item itself, data: URLs replaced by references and child
// lists removed, is kept as the row's original in legacy_id_map, so fields
// no column holds survive an export (rule 13).
//
// Rows are written level by level (all products, then all images, then all
// background versions) so that each level goes in batches (RowBatch) and
// foreign keys always find their parent.
#include "internal.hpp"

#include <cctype>

namespace cs::legacy {

namespace {

bool url_like(const std::string& s) {
  auto prefix = [&](const char* p) {
    std::size_t n = 0;
    for (; p[n] != '\0'; ++n)
      if (n >= s.size() || std::tolower(static_cast<unsigned char>(s[n])) != p[n]) return false;
    return true;
  };
  return prefix("data:") || prefix("http://") || prefix("https://") || prefix("blob:");
}

struct ProductScope {
  Group& g;
  const Ns& ns;
  KeyResult& kr;
  std::string product_entity, image_entity, bg_entity;
};

// Whether an item is flagged (isPrimary, isActive) by the spelling rules,
// without counting: the item's own reading counts once.
bool flagged(const ojson& item, const char* table, const char* name) {
  FieldTally scratch;
  return Item(item, table, scratch).flag(name).value_or(false);
}

// A row written whose children are still to come.
struct Parent {
  std::string row_id;
  Stamp created;
  ojson children;  // the child list, moved out of the item
};

void import_background_versions(ProductScope& s, RowBatch& batch, Parent& image) {
  ojson& list = image.children;
  // One active version per image (the data API's rule): the last one marked.
  std::int64_t active = -1, index = 0;
  for (const ojson& v : list) {
    if (v.is_object() && flagged(v, "background_versions", "isActive")) active = index;
    ++index;
  }
  index = -1;
  for (ojson& v : list) {
    ++index;
    if (!v.is_object()) {
      s.kr.count("skipped_items");
      continue;
    }
    const ojson* idv = field(v, "id");
    const auto canon = idv ? canonical_id(*idv) : std::nullopt;
    s.kr.id(s.bg_entity, idv);
    s.kr.count(s.bg_entity);
    const std::string slot = s.g.ids.slot(s.bg_entity.c_str(), image.row_id, canon, index);
    Claim c = s.g.ids.claim(s.bg_entity.c_str(), slot);
    Item it(v, "background_versions", s.kr.fields, s.bg_entity);
    const Stamp created = stamp_or(it.date("createdAt", s.g.tz), image.created);
    it.flag("isActive");  // read above (one active per image); here for its counts
    Columns cols = {
        {"product_image_id", Value::of(image.row_id)},
        {"url", Value::of(it.text("url"))},
        {"prompt", Value::of(it.text("prompt"))},
        {"request_id", Value::of(it.text("requestId"))},
        {"processing_time", Value::of(it.whole("processingTime"))},
        {"metadata", Value::of(std::string("{}"))},
        {"is_active", Value::flag(index == active)},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(created)},
    };
    MapRecord r;
    r.legacy_id = idv;
    r.canon = canon;
    r.ordinal = index;
    r.parent = image.row_id;
    r.original = &v;
    r.notes = ojson::object();
    r.notes["snap"] = put_row(s.g.db, batch, "background_versions", c.row_id, cols, c);
    s.g.ids.record(s.bg_entity.c_str(), slot, c, r);
  }
}

// One image: an object, or a bare URL string (form "url"). Returns the
// image with its background versions still to write.
Parent import_image(ProductScope& s, RowBatch& batch, ojson& image, std::int64_t index, const Parent& product,
                    bool primary) {
  const bool bare = image.is_string();
  ojson item = bare ? ojson{{"url", image}} : ojson();
  ojson& im = bare ? item : image;
  const ojson* idv = field(im, "id");
  const auto canon = idv ? canonical_id(*idv) : std::nullopt;
  s.kr.id(s.image_entity, idv);
  s.kr.count(s.image_entity);
  const std::string slot = s.g.ids.slot(s.image_entity.c_str(), product.row_id, canon, index);
  Claim c = s.g.ids.claim(s.image_entity.c_str(), slot);
  Item it(im, "product_images", s.kr.fields, s.image_entity);
  Parent out{c.row_id, stamp_or(it.date("uploadedAt", s.g.tz), product.created), ojson()};
  it.flag("isPrimary");  // read by the caller (the first marked wins); here for its counts
  Value url = Value::of(it.text("url"));
  if (url.kind == Value::Null) url = Value::of(std::string());  // the column is NOT NULL
  Columns cols = {
      {"product_id", Value::of(product.row_id)},
      {"url", url},
      {"file_name", Value::of(it.text("name"))},
      {"alt_text", Value::of(it.text("alt"))},
      {"size", Value::of(it.whole("size"))},
      {"is_primary", Value::flag(primary)},
      {"metadata", Value::of(std::string("{}"))},
      {"created_at", Value::of(out.created)},
      {"updated_at", Value::of(out.created)},
  };
  MapRecord r;
  r.notes = ojson::object();
  r.notes["snap"] = put_row(s.g.db, batch, "product_images", c.row_id, cols, c);
  if (bare) r.notes["form"] = "url";
  if (it.list("backgroundVersions")) {
    const std::string& versions = it.chosen();
    auto at = im.find(versions);
    r.notes["versions"] = std::distance(im.begin(), at);  // where the export puts them back
    if (versions != "backgroundVersions") r.notes["versionsAs"] = versions;
    out.children = std::move(*at);
    im.erase(at);  // they become rows; the original keeps the rest
    if (ojson skipped = unusable_items(out.children, false); !skipped.is_null()) r.notes["skipped"] = std::move(skipped);
  }
  r.legacy_id = idv;
  r.canon = canon;
  r.ordinal = index;
  r.parent = product.row_id;
  r.original = &im;
  s.g.ids.record(s.image_entity.c_str(), slot, c, r);
  return out;
}

Parent import_product(ProductScope& s, RowBatch& batch, ojson& p, std::int64_t index) {
  const ojson* idv = field(p, "id");
  const auto canon = idv ? canonical_id(*idv) : std::nullopt;
  s.kr.id(s.product_entity, idv);
  s.kr.count(s.product_entity);

  // Rule 6: images as JSON text are unwrapped before anything else looks.
  int images_levels = 0;
  if (auto it = p.find("images"); it != p.end() && it->is_string()) images_levels = unwrap_json_string(*it);
  replace_data_urls(p, s.g.blobs, s.kr.urls);

  // What the images field yields: rows from a list, one row from a URL, or
  // nothing (then it stays in the original as it was).
  Parent out;
  out.children = ojson::array();
  std::string form;
  std::int64_t images_pos = -1;
  bool images_unreadable = false;  // "[object Object]", a lone object: no rows, kept in the original
  if (auto it = p.find("images"); it != p.end()) {
    images_pos = std::distance(p.begin(), it);
    if (it->is_array()) {
      form = "array";
      out.children = std::move(*it);
      p.erase(it);
    } else if (it->is_string() && url_like(it->get_ref<const std::string&>())) {
      form = "url";
      out.children.push_back(std::move(*it));
      p.erase(it);
    } else {
      images_unreadable = !it->is_null() && !(it->is_string() && it->get_ref<const std::string&>().empty());
    }
  }

  const std::string slot = s.g.ids.slot(s.product_entity.c_str(), "", canon, index);
  Claim c = s.g.ids.claim(s.product_entity.c_str(), slot);
  out.row_id = c.row_id;
  Item it(p, s.ns.sample ? "sample_products" : "products", s.kr.fields, s.product_entity);
  if (images_unreadable) it.count("images", FieldTally::Unreadable);
  out.created = stamp_or(it.date("createdAt", s.g.tz), now_stamp(s.g.now));
  const Stamp updated = stamp_or(it.date("updatedAt", s.g.tz), out.created);
  ojson metadata = object_or_empty(it.object("metadata"));
  if (s.ns.sample) metadata["isSample"] = true;  // so the app can hide or delete them as a group
  Value name = Value::of(it.text("name"));
  if (name.kind == Value::Null) name = Value::of(std::string());  // NOT NULL; the original keeps what was there
  Columns cols = {
      {"name", name},
      {"description", Value::of(it.text("description"))},
      {"brand", Value::of(it.text("brand"))},
      {"category", Value::of(it.text("category"))},
      {"price", Value::of(it.amount("price").cents)},
      {"sku", Value::of(it.text("sku"))},
      {"url", Value::of(it.text("url"))},
      {"utm_codes", Value::json(object_or_empty(it.object("utmCodes")))},
      {"metadata", Value::json(metadata)},
      {"status", Value::of(std::string("active"))},
      {"created_at", Value::of(out.created)},
      {"updated_at", Value::of(updated)},
  };
  MapRecord r;
  r.notes = ojson::object();
  r.notes["snap"] = put_row(s.g.db, batch, "products", c.row_id, cols, c);
  if (!form.empty()) r.notes["images"] = {{"form", form}, {"levels", images_levels}, {"pos", images_pos}};
  if (ojson skipped = unusable_items(out.children, true); !skipped.is_null()) r.notes["skipped"] = std::move(skipped);
  else if (images_levels > 0) r.notes["enc"] = {{"images", images_levels}};
  r.legacy_id = idv;
  r.canon = canon;
  r.ordinal = index;
  r.original = &p;
  s.g.ids.record(s.product_entity.c_str(), slot, c, r);
  return out;
}

}  // namespace

void import_products(Group& g, ojson& list, const Ns& ns, KeyResult& kr) {
  if (!list.is_array()) return;
  ProductScope s{g, ns, kr, ns.entity("products"), ns.entity("product_images"), ns.entity("background_versions")};

  std::vector<Parent> products;
  {
    RowBatch batch(g.db, "products");
    std::int64_t index = -1;
    for (ojson& item : list) {
      ++index;
      if (!item.is_object()) {
        kr.skip(ns.sample ? "products" : "", index, item);
        continue;
      }
      ++kr.rows;
      products.push_back(import_product(s, batch, item, index));
    }
    batch.flush();
  }

  // Images: objects and non-empty URL strings; the first marked primary wins.
  std::vector<Parent> images;
  {
    RowBatch batch(g.db, "product_images");
    for (Parent& product : products) {
      bool primary_taken = false;
      std::int64_t j = -1;
      for (ojson& im : product.children) {
        ++j;
        const bool usable = im.is_object() || (im.is_string() && !im.get_ref<const std::string&>().empty());
        if (!usable) {
          kr.count("skipped_items");
          continue;
        }
        const bool primary = !primary_taken && im.is_object() && flagged(im, "product_images", "isPrimary");
        primary_taken = primary_taken || primary;
        Parent image = import_image(s, batch, im, j, product, primary);
        if (image.children.is_array()) images.push_back(std::move(image));
      }
      product.children = nullptr;  // recorded; free the memory early
    }
    batch.flush();
  }

  RowBatch batch(g.db, "background_versions");
  for (Parent& image : images) import_background_versions(s, batch, image);
  batch.flush();
  g.ids.flush();  // sample campaigns resolve these products within the same group
}

}  // namespace cs::legacy
