// libFuzzer target for the localStorage importer (src/legacy/), driven
// through the same C++ entry the legacy.import op uses. An input is a list
// of localStorage entries: records separated by a NUL byte, the first byte
// of a record picks the key (legacy keys, draft keys, look-alikes), the rest
// is the value, raw bytes (not necessarily UTF-8, like a corrupted store).
//
// Beyond "no crash, no leak" (ASan, UBSan), every input must be either
// migrated or preserved: each legacy key ends with its value byte for byte
// in legacy_sources (migrated or unparsed), the report validates (no count
// or id mismatch), running it again changes nothing, and the export imports
// cleanly into a fresh database. A broken invariant aborts, which libFuzzer
// reports like a crash.
#include "campaign_store/dispatcher.hpp"
#include "campaign_store/legacy.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

const char* const kKeys[] = {"products",          "campaigns",          "saved_campaigns",   "backgrounds",
                             "sample_data",       "campaign_draft_a",   "campaign_minimal_a", "campaign_draft_1",
                             "campaign_minimal_1", "campaign_draft_campaign_1", "theme",      "Products"};
constexpr std::size_t kKeyCount = sizeof kKeys / sizeof kKeys[0];

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "legacy fuzzer invariant broken: %s\n%s\n", what, detail.substr(0, 4000).c_str());
  std::abort();
}

cs::json call(cs::Dispatcher& d, const std::string& op, const cs::json& args) {
  cs::json r = cs::json::parse(d.call(op, args.dump(-1, ' ', false, cs::json::error_handler_t::replace)));
  if (r["ok"] != true) fail(op.c_str(), r.dump());
  return r["result"];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // key -> last value (localStorage holds one value per key)
  std::map<std::string, std::string> storage;
  std::size_t i = 0;
  while (i < size) {
    const std::string key = kKeys[data[i] % kKeyCount];
    std::size_t end = i + 1;
    while (end < size && data[end] != 0) ++end;
    storage[key] = std::string(reinterpret_cast<const char*>(data + i + 1), end - i - 1);
    i = end + 1;
  }
  std::vector<cs::legacy::Entry> entries;
  for (const auto& [k, v] : storage) entries.push_back({k, v, false});

  // Databases are reused for 64 inputs (opening one, with the schema, is most
  // of an execution's cost): later inputs then also re-migrate over earlier
  // ones, which is the path a changed localStorage value takes.
  static std::unique_ptr<cs::Dispatcher> store, spare;
  static unsigned uses = 0;
  if (uses++ % 64 == 0) {
    store = std::make_unique<cs::Dispatcher>();
    spare = std::make_unique<cs::Dispatcher>();
    if (cs::json::parse(store->call("open", "{}"))["ok"] != true || cs::json::parse(spare->call("open", "{}"))["ok"] != true)
      fail("open", "");
  }
  cs::Dispatcher& d = *store;
  cs::Database& db = d.session().db();
  cs::legacy::ImportOptions options;
  cs::json report = cs::legacy::import(db, entries, options);
  if (report["ok"] != true) fail("report not ok", report["errors"].dump());

  // Migrated or preserved, byte for byte.
  for (const auto& [k, v] : storage) {
    if (k == "theme" || k == "Products") continue;
    cs::Statement st(db, "SELECT raw, outcome FROM legacy_sources WHERE key = ?");
    st.bind(1, std::string_view(k));
    if (!st.step()) fail("legacy key not recorded", k);
    if (st.column_text_view(0) != v) fail("raw value not kept verbatim", k);
    const std::string outcome = st.column_text(1);
    if (outcome != "migrated" && outcome != "unparsed") fail("unexpected outcome", k + ": " + outcome);
  }

  // Idempotent: the same values again change nothing.
  cs::json again = cs::legacy::import(db, entries, options);
  for (const auto& g : again["run"]["groups"])
    if (g["outcome"] != "unchanged") fail("second import migrated again", again["run"]["groups"].dump());

  // Rollback: the export imports cleanly into another database.
  cs::legacy::ExportOptions out;
  out.inline_images = true;
  cs::json exported = cs::legacy::export_keys(db, out);
  std::vector<std::string> values;
  for (const auto& e : exported["entries"]) values.push_back(e["value"].get<std::string>());
  std::vector<cs::legacy::Entry> back;
  std::size_t n = 0;
  for (const auto& e : exported["entries"]) back.push_back({e["key"].get<std::string>(), values[n++], false});
  cs::json round = cs::legacy::import(spare->session().db(), back, options);
  if (round["ok"] != true) fail("export does not import cleanly", round["errors"].dump());
  call(d, "legacy.report", cs::json::object());
  return 0;
}
