// Products: the catalog, created with their images in one call and read back
// with images, each image's background versions and the campaigns using it.
#include "list.hpp"
#include "repo.hpp"
#include "repos.hpp"

#include "json/json_text.hpp"
#include "model/limits.hpp"

namespace cs::model::products {

namespace {

const json& optional_array(const json& args, const char* field, std::size_t max) {
  static const json empty = json::array();
  if (!args.is_object()) return empty;
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) return empty;
  if (!it->is_array()) fail_field(field, std::string("must be an array, got ") + it->type_name());
  if (it->size() > max)
    fail_field(field, "has " + std::to_string(it->size()) + " items, limit " + std::to_string(max), {{"limit", max}});
  return *it;
}

const ListSpec& list_spec() {
  // NULL prices sort first ascending; the keyset needs no NULLs.
  static const ListSpec kList = list_over(spec::products(), {"userId", "status", "category", "brand"},
                                          {{"name", "name COLLATE NOCASE"}, {"price", "ifnull(price, -1)"}});
  return kList;
}

}  // namespace

json create(Database& db, const json& args) {
  const TableSpec& pt = spec::products();
  const TableSpec& it = spec::product_images();
  // Everything is parsed and checked before the first write, so a bad image
  // fails the call without having touched the database.
  const json& images = optional_array(args, "images", limits::kMaxImagesPerCreate);
  Row product = parse_create(pt, args, {"", {"images"}, {}});
  std::vector<Row> rows;
  rows.reserve(images.size());
  int primaries = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    Row image = parse_create(it, images[i], {"images[" + std::to_string(i) + "]", {}, {"productId"}});
    image.set(it, "productId", std::string_view(product.id));
    if (std::get<std::int64_t>(*image.get(it, "isPrimary")) != 0) ++primaries;
    rows.push_back(std::move(image));
  }
  if (primaries > 1) fail_field("images", "only one image can be primary");
  if (primaries == 0 && !rows.empty()) rows.front().set(it, "isPrimary", std::int64_t{1});

  Transaction tx(db);
  check_new_id(db, pt, product, args, "");
  check_references(db, pt, product, "");
  insert_row(db, pt, product);
  json answered = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_new_id(db, it, rows[i], images[i], "images[" + std::to_string(i) + "]");
    insert_row(db, it, rows[i]);
    answered.push_back(json_text::extend(row_raw(it, rows[i]), {{"backgrounds", json::array()}}));
  }
  tx.commit();
  return json_text::extend(row_raw(pt, product), {{"images", answered}, {"campaigns", json::array()}});
}

json get(Database& db, const json& args) {
  const std::string id = parse_id(args, "id");
  json product = get_row_raw(db, spec::products(), id);

  const TableSpec& it = spec::product_images();
  const TableSpec& bt = spec::background_versions();
  struct Image {
    std::string id;
    json row;                           // RawJson
    json backgrounds = json::array();  // RawJson rows
  };
  std::vector<Image> images;
  {
    static const std::string sql =
        "SELECT " + it.select_list + " FROM product_images WHERE product_id = ?1 ORDER BY created_at, rowid";
    Statement& q = db.cached(sql);
    q.bind(1, std::string_view(id));
    while (q.step()) images.push_back({q.column_text(0), read_row_raw(it, q)});
  }
  if (!images.empty()) {
    // One query for every image's versions, grouped here, instead of one
    // query per image.
    static const std::string sql = "SELECT " + bt.columns_with("b") +
                                   " FROM product_images i JOIN background_versions b ON b.product_image_id = i.id"
                                   " WHERE i.product_id = ?1 ORDER BY b.created_at, b.rowid";
    Statement& q = db.cached(sql);
    q.bind(1, std::string_view(id));
    const int image_col = 1 + bt.index_of("productImageId");
    while (q.step()) {
      const std::string_view image_id = q.column_text_view(image_col);
      for (Image& image : images)  // a product has a handful of images
        if (image.id == image_id) image.backgrounds.push_back(read_row_raw(bt, q));
    }
  }
  json answered = json::array();
  for (Image& image : images) answered.push_back(json_text::extend(image.row, {{"backgrounds", image.backgrounds}}));
  json campaigns = json::array();
  {
    Statement& q = db.cached(
        "SELECT id, name, status FROM campaigns WHERE product_id = ?1 ORDER BY created_at DESC, seq DESC");
    q.bind(1, std::string_view(id));
    while (q.step())
      campaigns.push_back({{"id", q.column_text(0)}, {"name", q.column_text(1)}, {"status", q.column_text(2)}});
  }
  return json_text::extend(product, {{"images", answered}, {"campaigns", campaigns}});
}

json list(Database& db, const json& args) { return list_rows(db, list_spec(), args); }

}  // namespace cs::model::products
