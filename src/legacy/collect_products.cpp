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
//
// A re-migration of the products key (the old app changed it) writes only
// what changed: the key's detail keeps a hash of each item's text and its
// slot, each product's map entry what it contributed to the key's counts
// (its tally). An item whose text is what it was at the same position, under
// the same slot, is not parsed and nothing of it is written; the others are
// parsed and written as in a first migration, and the key's counts are the
// last ones less the tallies of the products that went, plus the new ones.
// tests/native/test_legacy_remigration.cpp holds the result to that of
// rewriting every product.
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <cctype>
#include <set>

CS_COLD_CODE_BEGIN

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

// A row written whose children are still to come. Everything a product and
// its images and background versions contribute to the key's counts goes to
// the product's own tally (kept in its notes, so that an unchanged product
// costs nothing on a re-migration).
struct Parent {
  std::string row_id;
  Stamp created;
  ojson children;  // the child list, moved out of the item
  KeyResult* tally = nullptr;
  std::size_t owner = 0;  // images: their product's place among those written
};

// A product whose map entry is written once its children are in (its
// notes carry their counts).
struct Pending {
  std::string slot;
  Claim claim;
  MapRecord record;
  KeyResult tally;
};

void import_background_versions(ProductScope& s, RowBatch& batch, Parent& image) {
  ojson& list = image.children;
  KeyResult& t = *image.tally;
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
      t.count("skipped_items");
      continue;
    }
    const KeyResult::ItemId item_id = t.item(s.bg_entity, v);
    const auto& canon = item_id.canon;
    const std::string slot = s.g.ids.slot(s.bg_entity.c_str(), image.row_id, canon, index);
    Claim c = s.g.ids.claim(s.bg_entity.c_str(), slot);
    Item it(v, "background_versions", t.fields, s.bg_entity);
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
    MapRecord r = map_record(item_id, index);
    r.parent = image.row_id;
    r.original = &v;
    r.notes = batch.put(c, cols);
    s.g.ids.record(s.bg_entity.c_str(), slot, c, r);
  }
}

// One image: an object, or a bare URL string (form "url"). Returns the
// image with its background versions still to write.
Parent import_image(ProductScope& s, RowBatch& batch, ojson& image, std::int64_t index, const Parent& product,
                    bool primary) {
  KeyResult& t = *product.tally;
  const bool bare = image.is_string();
  ojson item = bare ? ojson{{"url", image}} : ojson();
  ojson& im = bare ? item : image;
  const KeyResult::ItemId item_id = t.item(s.image_entity, im);
  const ojson* idv = &item_id.value;
  const auto& canon = item_id.canon;
  const std::string slot = s.g.ids.slot(s.image_entity.c_str(), product.row_id, canon, index);
  Claim c = s.g.ids.claim(s.image_entity.c_str(), slot);
  Item it(im, "product_images", t.fields, s.image_entity);
  Parent out{c.row_id, stamp_or(it.date("uploadedAt", s.g.tz), product.created), ojson(), product.tally};
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
  r.notes = batch.put(c, cols);
  if (bare) r.notes["form"] = "url";
  if (it.list("backgroundVersions")) {
    const std::string& versions = it.chosen();
    auto at = im.find(versions);
    r.notes["versions"] = std::distance(im.begin(), at);  // where the export puts them back
    if (versions != "backgroundVersions") r.notes["versionsAs"] = versions;
    out.children = std::move(*at);
    im.erase(at);  // they become rows; the original keeps the rest
    note_unusable_items(r.notes, out.children, false);
  }
  r.legacy_id = idv ? *idv : ojson();
  r.canon = canon;
  r.ordinal = index;
  r.parent = product.row_id;
  r.original = &im;
  s.g.ids.record(s.image_entity.c_str(), slot, c, r);
  return out;
}

// One product's row; its map entry waits in `pending` for its children.
Parent import_product(ProductScope& s, RowBatch& batch, ojson& p, std::int64_t index, Pending& pending) {
  KeyResult& t = pending.tally;
  const KeyResult::ItemId item_id = t.item(s.product_entity, p);
  const ojson* idv = &item_id.value;
  const auto& canon = item_id.canon;

  // Rule 6: images as JSON text are unwrapped before anything else looks.
  int images_levels = 0;
  if (auto it = p.find("images"); it != p.end() && it->is_string()) images_levels = unwrap_json_string(*it);
  replace_data_urls(p, s.g.blobs, t.urls);

  // What the images field yields: rows from a list, one row from a URL, or
  // nothing (then it stays in the original as it was).
  Parent out;
  out.children = ojson::array();
  out.tally = &t;
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

  pending.claim = s.g.ids.claim(s.product_entity.c_str(), pending.slot);
  out.row_id = pending.claim.row_id;
  Item it(p, s.ns.sample ? "sample_products" : "products", t.fields, s.product_entity);
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
  MapRecord& r = pending.record;
  r.notes = batch.put(pending.claim, cols);
  if (!form.empty()) r.notes["images"] = {{"form", form}, {"levels", images_levels}, {"pos", images_pos}};
  else if (images_levels > 0) r.notes["enc"] = {{"images", images_levels}};
  note_unusable_items(r.notes, out.children, true);
  r.legacy_id = idv ? *idv : ojson();
  r.canon = canon;
  r.ordinal = index;
  r.original = &p;
  return out;
}

// Writes the products of `todo` (index, item) with everything under them,
// level by level; each product's map entry goes last, with its tally.
void write_products(ProductScope& s, const std::vector<std::pair<std::int64_t, ojson*>>& todo,
                    std::vector<Pending>& pending, std::int64_t kept) {
  Group& g = s.g;
  // Progress counts products in each step (those kept unchanged first).
  auto at = [&](std::size_t k) { g.progress.reach(kept + static_cast<std::int64_t>(k) + 1); };
  std::vector<Parent> products;
  {
    g.progress.step("rows");
    RowBatch batch(g.db, "products");
    for (std::size_t k = 0; k < todo.size(); ++k) {
      products.push_back(import_product(s, batch, *todo[k].second, todo[k].first, pending[k]));
      at(k);
    }
    batch.flush();
  }

  // Images: objects and non-empty URL strings; the first marked primary wins.
  std::vector<Parent> images;
  {
    g.progress.step("images");
    RowBatch batch(g.db, "product_images");
    for (std::size_t k = 0; k < products.size(); ++k) {
      Parent& product = products[k];
      bool primary_taken = false;
      std::int64_t j = -1;
      for (ojson& im : product.children) {
        ++j;
        const bool usable = im.is_object() || (im.is_string() && !im.get_ref<const std::string&>().empty());
        if (!usable) {
          product.tally->count("skipped_items");
          continue;
        }
        const bool primary = !primary_taken && im.is_object() && flagged(im, "product_images", "isPrimary");
        primary_taken = primary_taken || primary;
        Parent image = import_image(s, batch, im, j, product, primary);
        image.owner = k;
        if (image.children.is_array()) images.push_back(std::move(image));
      }
      product.children = nullptr;  // recorded; free the memory early
      at(k);
    }
    batch.flush();
  }

  g.progress.step("versions");
  RowBatch batch(g.db, "background_versions");
  for (Parent& image : images) {
    import_background_versions(s, batch, image);
    if (image.owner > 0) at(image.owner - 1);  // the products before this image's are done
  }
  batch.flush();

  g.progress.step("save");
  for (std::size_t k = 0; k < pending.size(); ++k) {
    Pending& p = pending[k];
    if (!s.ns.sample) p.record.notes["tally"] = p.tally.tally();
    g.ids.record(s.product_entity.c_str(), p.slot, p.claim, p.record);
    at(k);
  }
  g.progress.finish();
  g.ids.flush();  // sample campaigns resolve these products within the same group
}

// The key's per-item index in its detail: each top-level item's hash (of
// its text) and slot ("" for items that are no product), so that a
// re-migration can tell which products did not change.
ojson item_index(const std::vector<std::string>& hashes, const std::vector<std::string>& slots) {
  std::string h, sl;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    h += hashes[i];
    if (i) sl += '\x1f';
    sl += slots[i];
  }
  return {{"hashes", h}, {"slots", sl}};
}

// Marks a product's map entries stale: its own, its images' and their
// background versions' (children's slots begin with their parent's row id).
void stale_subtree(const ProductScope& s, const std::string& slot, const std::string& row) {
  Database& db = s.g.db;
  Statement& own = db.cached("UPDATE legacy_id_map SET stale = 1 WHERE entity = ?1 AND slot = ?2");
  own.bind(1, std::string_view(s.product_entity)).bind(2, std::string_view(slot));
  own.run();
  auto children = [&](const std::string& entity, const std::string& parent, std::vector<std::string>* rows) {
    Statement& st = db.cached("UPDATE legacy_id_map SET stale = 1 WHERE entity = ?1 AND slot >= ?2 AND slot < ?3 "
                              "RETURNING row_id");
    st.bind(1, std::string_view(entity)).bind(2, std::string_view(parent + "/")).bind(3, std::string_view(parent + "0"));
    while (st.step())
      if (rows) rows->push_back(st.column_text(0));
  };
  std::vector<std::string> images;
  children(s.image_entity, row, &images);
  for (const std::string& image : images) children(s.bg_entity, image, nullptr);
}

// The canonical id a slot was made from ("<canon>#<n>"; "@<index>": none).
std::optional<std::string> canon_of_slot(const std::string& slot) {
  if (slot.empty() || slot[0] == '@') return std::nullopt;
  return slot.substr(0, slot.rfind('#'));
}

}  // namespace

std::string item_hash(std::string_view text) { return value_hash(text).substr(6); }

void import_products(Group& g, ojson& list, const Ns& ns, KeyResult& kr, const std::vector<std::string>* hashes) {
  if (!list.is_array()) return;
  ProductScope s{g, ns, kr, ns.entity("products"), ns.entity("product_images"), ns.entity("background_versions")};
  g.ids.begin();
  if (!g.progress.on() && !ns.sample) g.progress.start(g.ids.group(), static_cast<std::int64_t>(list.size()));
  std::vector<Pending> pending;
  std::vector<std::pair<std::int64_t, ojson*>> todo;
  std::vector<std::string> slots(list.size());
  std::int64_t index = -1;
  for (ojson& item : list) {
    ++index;
    if (!item.is_object()) {
      kr.skip(ns.sample ? "products" : "", index, item);
      continue;
    }
    ++kr.rows;
    const ojson* idv = field(item, "id");
    Pending p;
    p.slot = g.ids.slot(s.product_entity.c_str(), "", idv ? canonical_id(*idv) : std::nullopt, index);
    slots[static_cast<std::size_t>(index)] = p.slot;
    pending.push_back(std::move(p));
    todo.emplace_back(index, &item);
  }
  write_products(s, todo, pending, 0);
  for (const Pending& p : pending) kr.merge(p.tally);
  if (hashes && hashes->size() == list.size()) kr.items = item_index(*hashes, slots);
}

bool remigrate_products(Group& g, std::string_view raw, const ojson& previous, KeyResult& kr) {
  // What the last migration of the key saw, item by item.
  const ojson* index_of = field(previous, "items");
  if (!index_of || previous.value("unwrapped", 0) != 0 || previous.value("status", "") != "migrated") return false;
  const std::string old_hashes = index_of->value("hashes", "");
  std::vector<std::string> old_slots;
  {
    const std::string all = index_of->value("slots", "");
    std::size_t from = 0;
    for (;;) {
      const std::size_t at = all.find('\x1f', from);
      old_slots.push_back(all.substr(from, at == std::string::npos ? std::string::npos : at - from));
      if (at == std::string::npos) break;
      from = at + 1;
    }
  }
  if (old_hashes.size() != old_slots.size() * 16) return false;
  std::vector<std::pair<std::size_t, std::size_t>> slices;
  if (!split_array(raw, slices)) return false;

  // Products whose row the app deleted are written again, as in a full re-migration.
  std::set<std::string> gone;
  {
    Statement& st = g.db.cached(
        "SELECT m.slot FROM legacy_id_map m WHERE m.group_key = ?1 AND m.entity = 'products' AND m.parent = '' AND "
        "m.stale = 0 AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = m.row_id)");
    st.bind(1, std::string_view(g.ids.group()));
    while (st.step()) gone.insert(st.column_text(0));
  }

  // Each item: unchanged (same text, same place) or parsed. Nothing is
  // written before every changed item parsed (else: a full re-migration).
  const std::size_t n = slices.size();
  std::vector<std::string> hashes(n), slots(n);
  std::vector<ojson> parsed(n);
  std::vector<char> same(n, 0);
  g.progress.start(g.ids.group(), static_cast<std::int64_t>(n));
  g.progress.step("parse");
  for (std::size_t i = 0; i < n; ++i) {
    g.progress.item();
    const std::string_view text = raw.substr(slices[i].first, slices[i].second - slices[i].first);
    hashes[i] = item_hash(text);
    same[i] = i < old_slots.size() && old_hashes.compare(i * 16, 16, hashes[i]) == 0 && !old_slots[i].empty() &&
              !gone.count(old_slots[i]);
    if (!same[i] && !parse_json(text, parsed[i])) return false;
  }

  ProductScope s{g, Ns{}, kr, "products", "product_images", "background_versions"};
  // The key's counts: the last migration's, less the top-level items it skipped (counted again below).
  kr.add_detail(previous);
  kr.count("skipped_items", -previous.value("skipped", std::int64_t{0}));
  std::vector<Pending> pending;
  std::vector<std::pair<std::int64_t, ojson*>> todo;
  std::int64_t kept_items = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto index = static_cast<std::int64_t>(i);
    if (same[i]) {
      std::string slot = g.ids.slot("products", "", canon_of_slot(old_slots[i]), index);
      if (slot == old_slots[i]) {
        slots[i] = std::move(slot);
        ++kr.rows;
        ++kept_items;
        continue;
      }
      // Same text, but an earlier item took its slot: written anew (its slot counted above).
      if (!parse_json(raw.substr(slices[i].first, slices[i].second - slices[i].first), parsed[i]))
        throw Error(Code::Internal, "an unchanged product no longer parses");
      same[i] = 0;
      Pending p;
      p.slot = std::move(slot);
      slots[i] = p.slot;
      ++kr.rows;
      pending.push_back(std::move(p));
      todo.emplace_back(index, &parsed[i]);
      continue;
    }
    if (!parsed[i].is_object()) {
      kr.skip("", index, parsed[i]);
      continue;
    }
    ++kr.rows;
    const ojson* idv = field(parsed[i], "id");
    Pending p;
    p.slot = g.ids.slot("products", "", idv ? canonical_id(*idv) : std::nullopt, index);
    slots[i] = p.slot;
    pending.push_back(std::move(p));
    todo.emplace_back(index, &parsed[i]);
  }

  // What the last migration made of the products not kept leaves the counts, and goes stale
  // (a product written again below is revived with its new content).
  std::set<std::string> kept;
  for (std::size_t i = 0; i < n; ++i)
    if (same[i]) kept.insert(slots[i]);
  for (const std::string& slot : old_slots) {
    if (slot.empty() || kept.count(slot)) continue;
    Statement& st = g.db.cached("SELECT row_id, json_extract(notes, '$.tally') FROM legacy_id_map WHERE entity = 'products' "
                                "AND slot = ?1");
    st.bind(1, std::string_view(slot));
    std::string row;
    ojson tally;
    if (st.step()) {
      row = st.column_text(0);
      parse_json(st.column_text_view(1), tally);
    }
    st.reset();
    if (row.empty()) throw Error(Code::Internal, "a migrated product has no map entry: " + slot);
    kr.add_tally(tally, -1);
    stale_subtree(s, slot, row);
  }

  write_products(s, todo, pending, kept_items);
  for (const Pending& p : pending) kr.merge(p.tally);
  kr.items = item_index(hashes, slots);
  return true;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
