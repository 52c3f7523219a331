// Product images and their AI background versions. Two invariants are kept
// here rather than by unique indexes: a product with images has one primary
// image, an image with versions has one active version. (A unique index would
// refuse the rows sync brings when two devices each picked a different one
// offline; here the next setPrimary/activate simply settles it, and reads
// never assume there is at most one.)
#include "list.hpp"
#include "repo.hpp"
#include "repos.hpp"

#include "json/json_text.hpp"

namespace cs::model {

namespace {

// Ids of the rows of `table` whose `flag` is set under `parent`.
std::vector<std::string> flagged(Database& db, const std::string& sql, std::string_view parent) {
  Statement& q = db.cached(sql);
  q.bind(1, parent);
  std::vector<std::string> ids;
  while (q.step()) ids.push_back(q.column_text(0));
  return ids;
}

void set_flag(Database& db, const TableSpec& spec, const char* field, const std::string& id, bool on) {
  Row row = patch_row(spec, id);
  row.set(spec, field, std::int64_t{on ? 1 : 0});
  update_row(db, spec, row);
}

// Makes `id` the only flagged row under its parent: clears the others first.
void make_only(Database& db, const TableSpec& spec, const char* field, const std::string& list_sql,
               std::string_view parent, const std::string& id, bool already_on) {
  for (const std::string& other : flagged(db, list_sql, parent))
    if (other != id) set_flag(db, spec, field, other, false);
  if (!already_on) set_flag(db, spec, field, id, true);
}

const char* kPrimaryImages = "SELECT id FROM product_images WHERE product_id = ?1 AND is_primary = 1";
const char* kActiveVersions = "SELECT id FROM background_versions WHERE product_image_id = ?1 AND is_active = 1";

struct Located {
  std::string parent;
  bool flag = false;
};

// The parent id and flag of a row, NOT_FOUND naming `field` if absent.
Located locate(Database& db, const TableSpec& spec, const char* sql, const std::string& id, const char* field) {
  Statement& q = db.cached(sql);
  q.bind(1, std::string_view(id));
  if (!q.step())
    throw Error(Code::NotFound, std::string(field) + ": no " + noun(spec) + " with id '" + id + "'",
                {{"field", field}, {"table", spec.name}, {"id", id}});
  Located out{q.column_text(0), q.column_int(1) != 0};
  q.reset();
  return out;
}

const char* kLocateImage = "SELECT product_id, is_primary FROM product_images WHERE id = ?1";
const char* kLocateVersion = "SELECT product_image_id, is_active FROM background_versions WHERE id = ?1";

// A child table that keeps one flagged row per parent, as remove() needs it.
struct OneFlagged {
  const TableSpec& (*table)();
  const char* flag;           // the field
  const char* locate_sql;     // a row's parent and flag
  const char* flagged_sql;    // the flagged rows under a parent
  const char* successor_sql;  // the row that takes the flag when the flagged one goes
  const char* successor_key;  // the answer's member that names it
};

// The product keeps a primary image: the oldest remaining one.
const OneFlagged kImages{spec::product_images, "isPrimary", kLocateImage, kPrimaryImages,
                         "SELECT id FROM product_images WHERE product_id = ?1 ORDER BY created_at, rowid LIMIT 1",
                         "primaryImageId"};
// The image keeps an active version: the newest remaining one.
const OneFlagged kVersions{
    spec::background_versions, "isActive", kLocateVersion, kActiveVersions,
    "SELECT id FROM background_versions WHERE product_image_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1",
    "activeId"};

// Deletes the row args.id names; when it held the flag, its successor takes it.
json remove_one(Database& db, const OneFlagged& kind, const json& args) {
  const TableSpec& t = kind.table();
  const std::string id = parse_id(args, "id");
  Transaction tx(db);
  Located row = locate(db, t, kind.locate_sql, id, "id");
  delete_row(db, t, id);
  json out{{"id", id}, {"deleted", true}};
  if (row.flag && flagged(db, kind.flagged_sql, row.parent).empty()) {
    Statement& q = db.cached(kind.successor_sql);
    q.bind(1, std::string_view(row.parent));
    if (q.step()) {
      std::string next = q.column_text(0);
      q.reset();
      set_flag(db, t, kind.flag, next, true);
      out[kind.successor_key] = next;
    }
  }
  tx.commit();
  return out;
}

ListSpec child_list(const TableSpec& t, const char* parent_field) {
  ListSpec s;
  s.table = &t;
  s.filters = {filter_on(t, parent_field)};
  s.required = {parent_field};
  s.sorts = {{"createdAt", "created_at"}};
  s.default_desc = false;
  return s;
}

}  // namespace

namespace images {

json add(Database& db, const json& args) {
  const TableSpec& t = spec::product_images();
  Row row = parse_create(t, args);
  const bool asked_primary = args.contains("isPrimary") && args["isPrimary"] == true;
  const bool said_not = args.contains("isPrimary") && args["isPrimary"] == false;
  Transaction tx(db);
  check_new_id(db, t, row, args, "");
  check_references(db, t, row, "");
  const std::string product(text_of(*row.get(t, "productId")));
  auto primaries = flagged(db, kPrimaryImages, product);
  // The first image of a product becomes its primary unless told otherwise.
  const bool primary = asked_primary || (primaries.empty() && !said_not);
  if (primary)
    for (const std::string& other : primaries) set_flag(db, t, "isPrimary", other, false);
  row.set(t, "isPrimary", std::int64_t{primary ? 1 : 0});
  insert_row(db, t, row);
  tx.commit();
  return json_text::extend(row_raw(t, row), {{"backgrounds", json::array()}});
}

json list(Database& db, const json& args) {
  static const ListSpec kList = child_list(spec::product_images(), "productId");
  return list_rows(db, kList, args);
}

json set_primary(Database& db, const json& args) {
  const TableSpec& t = spec::product_images();
  if (!args.is_object()) fail_field("args", "must be a JSON object");
  only_args(args, {"imageId", "productId"}, "images.setPrimary");
  const std::string id = parse_id(args, "imageId");
  Transaction tx(db);
  Located image = locate(db, t, kLocateImage, id, "imageId");
  if (args.contains("productId") && !args["productId"].is_null()) {
    std::string product = parse_id(args, "productId");
    if (product != image.parent)
      throw Error(Code::NotFound, "imageId: image '" + id + "' is not an image of product '" + product + "'",
                  {{"field", "imageId"}, {"productId", product}});
  }
  make_only(db, t, "isPrimary", kPrimaryImages, image.parent, id, image.flag);
  json out = get_row(db, t, id, "imageId");
  tx.commit();
  return out;
}

json remove(Database& db, const json& args) { return remove_one(db, kImages, args); }

}  // namespace images

namespace backgrounds {

json add(Database& db, const json& args) {
  const TableSpec& t = spec::background_versions();
  Row row = parse_create(t, args);
  Transaction tx(db);
  check_new_id(db, t, row, args, "");
  check_references(db, t, row, "");
  const std::string image(text_of(*row.get(t, "productImageId")));
  auto active = flagged(db, kActiveVersions, image);
  // A new version becomes the active one (isActive defaults to true); with
  // isActive:false it is kept aside, unless the image has no active version.
  const bool activate = std::get<std::int64_t>(*row.get(t, "isActive")) != 0 || active.empty();
  if (activate)
    for (const std::string& other : active) set_flag(db, t, "isActive", other, false);
  row.set(t, "isActive", std::int64_t{activate ? 1 : 0});
  insert_row(db, t, row);
  tx.commit();
  return row_json(t, row);
}

json activate(Database& db, const json& args) {
  const TableSpec& t = spec::background_versions();
  const std::string id = parse_id(args, "id");
  Transaction tx(db);
  Located version = locate(db, t, kLocateVersion, id, "id");
  make_only(db, t, "isActive", kActiveVersions, version.parent, id, version.flag);
  json out = get_row(db, t, id);
  tx.commit();
  return out;
}

json list(Database& db, const json& args) {
  static const ListSpec kList = child_list(spec::background_versions(), "productImageId");
  return list_rows(db, kList, args);
}

json remove(Database& db, const json& args) { return remove_one(db, kVersions, args); }

}  // namespace backgrounds

}  // namespace cs::model
