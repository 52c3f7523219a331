// What the files of src/legacy/ share. Each .cpp has one job; this header
// names the seams between them. Not public: src/legacy/legacy.hpp
// is the face of the component.
#pragma once

#include "json/json_text.hpp"
#include "legacy/legacy.hpp"
#include "model/row_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cs::legacy {

// Legacy values keep their key order: an exported value should read like the
// one the app wrote, and JSON.parse keeps insertion order too.
using ojson = nlohmann::ordered_json;

// ------------------------------------------------------------ json_text.cpp
// Nesting deeper than this is refused as unparsed ("too-deep"): every walker
// here recurses per level, and no value the app wrote nests past ~10.
inline constexpr int kMaxDepth = 512;

// JSON.parse: false when text is not one JSON value (or nests too deep).
// Strings are moved out of the parser, never copied (data: URLs are big).
bool parse_json(std::string_view text, ojson& out);

struct Parsed {
  bool ok = false;
  ojson value;
  int unwrapped = 0;       // JSON.stringify applied more than once (rule 2)
  std::string reason;      // when !ok: truncated | empty | invalid-json | too-deep | shape
  std::int64_t salvageable = -1;  // truncated arrays: complete top-level items
};
// A localStorage value: parsed, unwrapped up to 3 levels, diagnosed if not JSON.
Parsed parse_value(std::string_view raw);

// Parses a string value again while it holds JSON (at most 3 levels);
// returns how many levels were unwrapped. A non-JSON string stays as it is.
int unwrap_json_string(ojson& value);

using json_text::split_array;

using json_text::utf16_units;
// JSON text for our own tables; invalid UTF-8 (never expected) is replaced
// rather than thrown. What the app reads back is json_text::stringify's.
using json_text::dump;
json to_json(const ojson& value);
ojson to_ojson(const json& value);

// ----------------------------------------------------------- value_hash.cpp
std::uint64_t xxh64(const void* data, std::size_t len, std::uint64_t seed);
// "xxh64:<16 hex>" of a localStorage value: legacy_sources.hash and echo_hash.
std::string value_hash(std::string_view value);


// ----------------------------------------------------------------- keys.cpp
enum class KeyKind { Products, Campaigns, SavedCampaigns, Backgrounds, Sample, DraftFull, DraftMinimal, None };

struct KeyClass {
  KeyKind kind = KeyKind::None;
  std::string entity;    // the manifest's entity name: products, legacy_campaigns, ..., drafts
  std::string draft_id;  // drafts: the rest of the key, verbatim
};
KeyClass classify_key(std::string_view key);
// The transaction unit: "products", ..., "draft:<id>".
std::string group_of(const KeyClass& c);
// Groups run in dependency order: products before what refers to them.
int group_rank(const std::string& group);
std::string draft_key(bool full, const std::string& draft_id);
// For a key that is not a legacy key: the legacy key it resembles (other
// case, spaces, a suffix: "Products", "products_backup", "campaign_drafts_list").
std::optional<std::string> lookalike_of(std::string_view key);

// ------------------------------------------------------------------ ids.cpp
// Rule 4: a JSON number as JavaScript prints it, a non-empty string as is.
std::optional<std::string> canonical_id(const ojson& id);
// A field as text the way the app would have shown it: strings as they are,
// numbers as JS prints them, anything else: nullopt.
std::optional<std::string> text_of(const ojson* value);
const ojson* field(const ojson& object, const char* name);  // null when absent
inline ojson value_of(const ojson* value) { return value ? *value : ojson(); }

// ---------------------------------------------------------------- dates.cpp
// Every date format the app wrote (js/legacy/README.md, "Dates") -> UTC epoch ms.
std::optional<std::int64_t> parse_date(const ojson* value, const TimeZone& tz);
std::optional<std::string> iso_date(const ojson* value, const TimeZone& tz);

// --------------------------------------------------------------- prices.cpp
struct Amount {
  std::optional<std::int64_t> cents;
  std::string currency;  // ISO code when the text named one ($, €, "EUR"...)
};
// 29.99, "29.99", "$1,299.00", "€19,99", " 5 ", "1e3" -> cents; "free" -> none.
Amount parse_amount(const ojson* value);
// cents -> the JSON number the app would have stored (2999 -> 29.99).
ojson amount_json(std::int64_t cents);

// ------------------------------------------------------------ data_urls.cpp
// Decodes data: URLs once per distinct text, stores each distinct content
// once in `blobs`, and hands back the reference that replaces the URL.
class BlobSink {
 public:
  explicit BlobSink(Database& db) : db_(db) {}
  // If s is a data: URL that decodes, replaces it with its reference and
  // returns the content hash.
  std::optional<std::string> intern(std::string& s);
  // A rolled-back group may have inserted blobs the cache still names.
  void forget() { by_text_.clear(); }
  std::int64_t inserted = 0, inserted_bytes = 0;

 private:
  Database& db_;
  std::unordered_map<std::string, std::pair<std::string, std::string>> by_text_;  // url -> (ref, hash)
  std::vector<std::uint8_t> bytes_;
};

struct ScanStats {
  std::int64_t occurrences = 0;
  std::map<std::string, std::int64_t> hashes;  // content hash -> occurrences
};
// Rule 12: every data: URL string anywhere in value becomes a reference.
void replace_data_urls(ojson& value, BlobSink& sink, ScanStats& stats);
// The export's inverse: references back to data: URLs.
void inline_refs(ojson& value, Database& db, std::map<std::string, std::string>& cache);

bool decode_data_url(std::string_view url, std::string_view* meta, std::vector<std::uint8_t>& out);
std::string encode_data_url(std::string_view meta, const std::uint8_t* data, std::size_t size);

// ----------------------------------------------------------------- rows.cpp
// A timestamp and whether it is only a stand-in ("weak": the source had no
// date, so it is the migration time, or derived from one that was).
struct Stamp {
  std::string iso;
  bool weak = false;
};

// A column value as written: NULL, INTEGER or TEXT (JSON goes as text). A
// weak value fills a new row but never overwrites an existing one: a
// re-migration must not move a row's created_at to "now" every time.
struct Value {
  enum Kind { Null, Int, Text } kind = Null;
  std::int64_t i = 0;
  std::string s;
  bool weak = false;
  static Value of(const Stamp& t) { Value x = of(t.iso); x.weak = t.weak; return x; }
  static Value null() { return {}; }
  static Value of(std::int64_t v) { Value x; x.kind = Int; x.i = v; return x; }
  static Value of(std::string v) { Value x; x.kind = Text; x.s = std::move(v); return x; }
  static Value of(const std::optional<std::string>& v) { return v ? of(*v) : null(); }
  static Value of(const std::optional<std::int64_t>& v) { return v ? of(*v) : null(); }
  static Value json(const ojson& v) { return of(dump(v)); }
  static Value flag(bool b) { return of(std::int64_t{b ? 1 : 0}); }
};
using Columns = std::vector<std::pair<const char*, Value>>;

// Fingerprint of a value, to tell later whether the app changed a column.
std::string fingerprint(const Value& v);

// Inserts the row, or updates it when `snapshot` (fingerprints from the last
// migration) is given: only columns the app has not changed since are
// updated, so a re-migration never overwrites the app's edits. Returns the
// new snapshot.
ojson write_row(Database& db, const char* table, const std::string& id, const Columns& columns,
                const ojson* snapshot);

struct Claim;

// New rows of one table, written many per statement by the core's writer
// (model::RowUpsert says why). Columns are the first added row's and the
// same for every row of a batch.
class RowBatch {
 public:
  // conflict: the upsert target ({"id"} for the model tables, whose id
  // column add() supplies). A row whose columns are not the first row's is
  // refused (INTERNAL), never written into the wrong columns.
  RowBatch(Database& db, const char* table, std::vector<std::string> conflict = {"id"});
  void add(std::string id, const Columns& values);
  // The claimed row: a new one (no snapshot) joins the batch, one migrated
  // before is merged in place (write_row). Returns the row's notes for its
  // map record: {snap: its snapshot}.
  ojson put(const Claim& claim, const Columns& columns);
  void flush();

 private:
  Database& db_;
  std::string table_;
  std::vector<std::string> conflict_;
  bool with_id_;
  std::optional<model::RowUpsert> upsert_;  // made with the first row's columns
};

// Fingerprints of a row as write_row would record them.
ojson snapshot_of(const Columns& columns);

// --------------------------------------------------------------- id_map.cpp
struct Claim {
  std::string row_id;
  bool existed = false;
  ojson notes;  // {snap: {...}, enc: {...}} from the last migration
};

struct MapRecord {
  ojson legacy_id;  // the id as the source had it (number or string); a copy: the item changes
  std::optional<std::string> canon;
  std::int64_t ordinal = 0;
  std::string parent;                // row id of the parent row ("" for top level)
  std::optional<std::string> ref;    // canonical id this row refers to (campaign -> product)
  std::optional<std::string> link;   // the row that ref resolved to
  const ojson* original = nullptr;   // the item, data: URLs as references, child rows removed
  ojson notes;
};

// Legacy ids -> row ids, per entity and stable "slot", so a re-migration
// updates the rows it made before instead of adding new ones.
class IdMap {
 public:
  IdMap(Database& db, std::string group);
  // Marks this group's entries stale (once); record() revives those seen again.
  void begin();
  // Slot of the next occurrence of canon under parent (duplicates: #1, #2...).
  std::string slot(const char* entity, const std::string& parent, const std::optional<std::string>& canon,
                   std::int64_t index);
  Claim claim(const char* entity, const std::string& slot);
  // Recorded entries are written in batches: flush() before anything reads
  // this group's own entries (resolve within the group).
  void record(const char* entity, const std::string& slot, const Claim& claim, const MapRecord& r);
  void flush() { batch_.flush(); }
  const std::string& group() const { return group_; }

 private:
  Database& db_;
  std::string group_;
  std::map<std::string, int> seen_;
  RowBatch batch_;
  bool begun_ = false;
};

// The first live row of entity with this canonical id (and parent).
std::optional<std::string> resolve(Database& db, const char* entity, const std::string& canon,
                                   const std::string& parent = "");
// The table an entity's rows live in.
const char* table_of(const std::string& entity);

// --------------------------------------------------------------- fields.cpp
// The spelling table of one entity (src/legacy/README.md, "Field spellings").
struct Fields {
  struct Field {
    std::string name;                     // camelCase, as the current app writes it
    std::vector<std::string> spellings;   // precedence order: name, aliases, their snake_case forms
    bool kept = false;                    // no column: stays as data in the row's JSON
  };
  std::vector<Field> fields;
  std::unordered_map<std::string, std::size_t> by_spelling;
  const Field& field(const char* name) const;
};
// products, sample_products, product_images, background_versions,
// legacy_campaigns, sample_campaigns, adData, v2_campaigns, schedule, budget,
// creatives, creative_assets, drafts, ai_generations, sample_data.
const Fields& fields_of(const std::string& table);

// Per entity and field: members no spelling names (ignored), values that
// could not fill their column (unreadable), spellings that disagreed
// (conflicts). Nested fields are named "adData.ctaType", "schedule.startsAt".
struct FieldTally {
  enum Kind { Ignored, Unreadable, Conflict };
  struct Counts {
    std::int64_t ignored = 0, unreadable = 0, conflicts = 0;
  };
  std::map<std::string, std::map<std::string, Counts>> by_entity;
  void add(const std::string& entity, const std::string& field, Kind kind, std::int64_t n = 1);
  void merge(const FieldTally& other);
  ojson to_json() const;             // {entity: {field: {ignored?, unreadable?, conflicts?}}}
  void add_json(const ojson& counts);  // the inverse, summed in
};

// One legacy item read field by field. Construction counts the members that
// are no spelling of a field as ignored; each getter takes the first
// spelling holding a readable value and counts an unreadable value or a
// conflict between spellings. Read each field once per item.
class Item {
 public:
  // table: the spelling table; entity: where the counts go (default: table);
  // prefix: of nested objects' field names ("adData.").
  Item(const ojson& object, const std::string& table, FieldTally& tally, std::string entity = "", std::string prefix = "");

  const ojson* raw(const char* field);  // any JSON (conflict: not equal)
  std::optional<std::string> text(const char* field);                    // strings, numbers as JS prints them
  std::optional<std::string> date(const char* field, const TimeZone& tz);  // "" is no date
  Amount amount(const char* field);                                       // "" is no amount
  std::optional<std::int64_t> whole(const char* field);                   // counts_of
  std::optional<bool> flag(const char* field);                            // true/false, numbers, "true"/"false"
  const ojson* object(const char* field);
  const ojson* list(const char* field);
  std::optional<std::string> id(const char* field);                       // canonical id
  // The first spelling present, read without counting (kept fields).
  const ojson* peek(const char* field) const;
  // The spelling the last getter's value came from ("" when none).
  const std::string& chosen() const { return *chosen_; }
  void count(const char* field, FieldTally::Kind kind);

 private:
  enum class Got { Absent, Ok, Bad };
  template <class T>
  struct Reading {
    Got got;
    T value;
  };
  std::vector<std::pair<const std::string*, const ojson*>> present(const char* field) const;
  template <class T, class Read, class Same = std::equal_to<T>>
  std::optional<T> pick(const char* field, Read read, Same same = Same{});

  const ojson& object_;
  const Fields& fields_;
  FieldTally& tally_;
  std::string entity_, prefix_;
  const std::string* chosen_;
};

// The spelling of field an object uses: the first present (null or not),
// else the camelCase name. The export writes a changed column back under it.
const std::string& spelling_in(const ojson& object, const std::string& table, const char* field);

// --------------------------------------------------------- per key results
// What one key contributed, stored as legacy_sources.detail and summed by
// the report (the source side of the validation).
struct KeyResult {
  std::string status = "migrated";  // migrated | unparsed
  std::string entity;
  std::string reason;
  std::int64_t salvageable = -1;
  std::int64_t rows = 0, skipped = 0;
  int unwrapped = 0;
  std::map<std::string, std::int64_t> counts;  // manifest "expected" fields
  std::map<std::string, ojson> ids;             // manifest "legacy_ids" lists
  ScanStats urls;
  FieldTally fields;
  bool null_value = false;  // the key held null (migrated as nothing)
  ojson skipped_at;         // {list: [[index, item], ...]}: items of the key's lists that made no row
  ojson container;          // sample_data: {order: [member, ...], values: {member: value}} but the row lists
  ojson items;              // products: {hashes, slots} per top-level item (collect_products.cpp)

  void count(const std::string& what, std::int64_t n = 1) { counts[what] += n; }
  // One item's share of the counts, ids, data: URLs and fields (kept in its
  // notes); adding and taking away such shares (a re-migration that keeps
  // the other items' shares), and the sum of two results.
  ojson tally() const;
  void add_tally(const ojson& tally, std::int64_t sign = 1);
  void merge(const KeyResult& item);
  // The counts, ids, data: URLs and fields of a stored detail, summed in.
  void add_detail(const ojson& detail);
  // A top-level list item that is no row (list: "" for the key's own list,
  // "products"/"campaigns" in sample_data): counted, and kept for the export.
  void skip(const std::string& list, std::int64_t index, const ojson& item);
  void id(const std::string& entity, const ojson* legacy_id);
  // An item's legacy id, read before the item changes (its data: URLs are
  // replaced): the value (null when absent) and its canonical form, listed
  // and counted under `entity`.
  struct ItemId {
    ojson value;
    std::optional<std::string> canon;
  };
  ItemId item(const std::string& entity, const ojson& item);
  ojson to_detail() const;
};

// The id map's record of an item: its legacy id and place in its list.
MapRecord map_record(const KeyResult::ItemId& id, std::int64_t ordinal);

// ------------------------------------------------------------- collectors
// Progress through the items of one large key, for the main thread while
// the call runs (ImportOptions::progress): {phase: "items", key, step, done,
// total}: step "parse", then "rows", "images", "versions", "save" (products)
// or "rows" (the other lists), done counting the key's items in each, about a
// hundred events per step, and "done"; besides, {key, step: "commit"} when a
// large key's group commits and {key: "*", step: "report"} before the report.
class Progress {
 public:
  explicit Progress(const std::function<void(const json&)>& sink) : sink_(sink) {}
  // Keys of fewer items than this report nothing.
  static constexpr std::int64_t kMinItems = 200;
  void start(const std::string& key, std::int64_t total);
  void step(const char* name);   // done starts again at 0
  void item(std::int64_t n = 1);
  void reach(std::int64_t done);  // done = max(done, this)
  void finish();                  // step "done", done == total; off until the next start
  void note(const std::string& key, const char* step);  // one event outside a key's items
  bool on() const { return on_; }

 private:
  void emit();
  const std::function<void(const json&)>& sink_;
  std::string key_;
  const char* step_ = "start";
  std::int64_t total_ = 0, done_ = 0, next_ = 0, every_ = 1;
  bool on_ = false;
};

// One key group being migrated, inside its transaction.
struct Group {
  Database& db;
  const TimeZone& tz;
  BlobSink& blobs;
  IdMap& ids;
  std::string now;  // migration time, ISO
  Progress& progress;
  bool incremental = true;  // leave unchanged products alone (collect_products.cpp)
};

// A list key's items (list: an array) in order, each object counted (kr.rows), in the
// progress's "rows" step, and handed to each(object, index); anything else
// is skipped into the report (skip_as: the sample entity it counts under, or
// "").
template <class Each>
void for_each_object(Group& g, ojson& list, KeyResult& kr, const char* skip_as, Each&& each) {
  g.progress.start(g.ids.group(), static_cast<std::int64_t>(list.size()));
  g.progress.step("rows");
  std::int64_t index = -1;
  for (ojson& item : list) {
    ++index;
    g.progress.item();
    if (!item.is_object()) {
      kr.skip(skip_as, index, item);
      continue;
    }
    ++kr.rows;
    each(item, index);
  }
}

// Namespaces: real rows, or sample_data's own (rule 11).
struct Ns {
  bool sample = false;
  std::string entity(const char* base) const { return sample ? std::string("sample_") + base : base; }
};

// collect_products.cpp: products (and sample products) with images and
// background versions. hashes (item_hash of each item's text, by index):
// kept in the key's detail for the next re-migration.
void import_products(Group& g, ojson& list, const Ns& ns, KeyResult& kr, const std::vector<std::string>* hashes = nullptr);
// A re-migration of the products key that writes only the products whose
// text changed, using the item index the last migration left in its detail
// (`previous`). False, having written nothing, when it cannot (then the
// caller migrates the key whole).
bool remigrate_products(Group& g, std::string_view raw, const ojson& previous, KeyResult& kr);
// 16 hex digits of XXH64 of an item's text.
std::string item_hash(std::string_view text);
// collect_campaigns.cpp: legacy campaigns (and sample campaigns).
void import_legacy_campaigns(Group& g, ojson& list, const Ns& ns, KeyResult& kr);
// The columns of a legacy campaign object (also the facade's saveAd).
Columns legacy_campaign_columns(Group& g, ojson& campaign, const Ns& ns, FieldTally& tally, std::optional<std::string>* ref,
                                std::optional<std::string>* product_row);
// Lower-cased and trimmed; empty or missing is 'draft'.
std::string campaign_status(const std::optional<std::string>& status);
// Rule 7: every spelling of field holding JSON text is parsed in place (up
// to 3 levels). Returns {spelling: levels} for the export to re-stringify.
ojson unwrap_fields(ojson& object, const std::string& table, const char* field);
// collect_v2.cpp: saved_campaigns with creatives and assets.
void import_v2_campaigns(Group& g, ojson& list, KeyResult& kr);
// collect_backgrounds.cpp: the fal.ai log.
void import_backgrounds(Group& g, ojson& list, KeyResult& kr);
// collect_sample.cpp: sample_data.
void import_sample(Group& g, ojson& value, KeyResult& kr);
// collect_drafts.cpp: one draft id from its full and/or minimal key.
struct DraftInput {
  bool full = false;
  Parsed* parsed = nullptr;  // null when the key is absent
  KeyResult* result = nullptr;
};
void import_draft(Group& g, const std::string& draft_id, std::vector<DraftInput>& inputs);

// The items of a child list that make no row, as notes["skipped"] =
// [[index, item], ...] in the parent's notes (the export puts them back);
// nothing when there are none. Images: objects and non-empty strings are
// images; elsewhere objects.
void note_unusable_items(ojson& notes, const ojson& list, bool strings_are_items);
// A parent's list of children that become rows: where it stood among the
// parent's members (notes[member], where the export puts it back) and its
// unusable items. Nothing when children is not an array.
void note_children(ojson& notes, const char* member, std::int64_t position, const ojson& children);

// Common column readers.
Value text_value(const ojson& object, const char* name);
Stamp stamp_or(const std::optional<std::string>& iso, const Stamp& fallback);
inline Stamp now_stamp(const std::string& now) { return {now, true}; }
ojson object_or_empty(const ojson* value);
// A whole number the app stored as a number or numeric text (sizes, ms);
// fractions round, negatives and non-numbers are none.
std::optional<std::int64_t> count_of(const ojson* value);
bool truthy_flag(const ojson* value);  // isPrimary / isActive: true, 1, "true"

// ------------------------------------------------------------- report.cpp
struct RunInfo {
  std::int64_t id = 0;  // legacy_runs row; one run may span several import calls
  bool interrupted_before = false;  // the previous run never finished (a crash)
  std::string started_at, finished_at;
  double duration_ms = 0;
  json groups = json::array();   // [{group, keys, outcome}]
  json errors = json::array();   // failures of groups ({key, code, message})
  json warnings = json::array();
  json other_keys = json::array();
  std::int64_t other_units = 0;
  std::int64_t blobs_inserted = 0, blob_bytes_inserted = 0;
};
json build_report(Database& db, const RunInfo& run);
// legacy_runs: start (or continue) a run, save its progress, finish it.
RunInfo open_run(Database& db, std::int64_t id);
void save_run(Database& db, const RunInfo& run, const json* report);
RunInfo last_run(Database& db);

// ------------------------------------------------------------- export.cpp
// Rows back to legacy items (export and the compat facade).
struct Shaper {
  Database& db;
  bool inline_images;
  std::map<std::string, std::string> inline_cache;
  ojson product(const std::string& row_id);
  ojson image(const std::string& row_id);
  ojson background(const std::string& row_id);
  ojson legacy_campaign(const std::string& row_id);
  ojson v2_campaign(const std::string& row_id);
  ojson creative(const std::string& row_id);
  ojson asset(const std::string& row_id);
  ojson generation(const std::string& row_id);
  // The keys a draft row gives back, with their values: those it was
  // migrated from (campaign_draft_ and/or campaign_minimal_), or the full
  // key of a draft the app saved.
  std::vector<std::pair<std::string, ojson>> draft(const std::string& row_id);
  void finish(ojson& value);  // inline images if asked
};
// A row of a legacy list and where it stood in it (the app's own rows and
// retained ones sort after the rest).
struct OrderedRow {
  std::string id;
  std::int64_t ordinal;
};
// The rows a legacy key is made of, in source order then the app's own:
// products, sample_products, campaigns, sample_campaigns, saved_campaigns,
// backgrounds, drafts.
std::vector<OrderedRow> rows_for_key(Database& db, const std::string& key);
// Items by where they stood, with the items that made no row
// ([[index, item], ...]) back at their index.
ojson in_place(std::vector<std::pair<std::int64_t, ojson>> items, const ojson* skipped);
// JSON text of the value again, `levels` times (JSON-in-a-string fields).
ojson restringify(ojson value, int levels);
// Records that the caller writes value back to localStorage under key, so
// the next import does not take our own echo for a change.
void acknowledge(Database& db, const std::string& key, const std::string& value);

}  // namespace cs::legacy
