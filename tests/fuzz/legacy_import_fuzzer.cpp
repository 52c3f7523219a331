// libFuzzer target for the localStorage importer (src/legacy/), driven
// through the same C++ entry the legacy.import op uses. An input is a list
// of localStorage entries: records separated by a NUL byte, the first byte
// of a record picks the key (legacy keys, draft keys, look-alikes), the rest
// is the value, raw bytes (not necessarily UTF-8, like a corrupted store).
//
// Beyond "no crash, no leak" (ASan, UBSan), every input must be either
// migrated or preserved: each legacy key ends with its value byte for byte
// in legacy_sources (migrated or unparsed), the report validates (no count
// or id mismatch) and is ok exactly when it lists no loss, running it again
// changes nothing, a re-migration that re-reads every product gives the
// same report as the one that leaves unchanged products alone, and the
// export (images inlined) gives every key of a fresh database back byte for
// byte and imports cleanly into another. A broken invariant aborts, which libFuzzer
// reports like a crash.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "legacy/legacy.hpp"

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
  if (!report["errors"].empty()) fail("report has errors", report["errors"].dump());
  // ok exactly when nothing was lost, and every loss is a warning.
  std::int64_t lost = 0;
  for (auto it = report["loss"].begin(); it != report["loss"].end(); ++it) lost += it.value().get<std::int64_t>();
  if ((lost == 0) != (report["ok"] == true)) fail("ok disagrees with the losses", report["loss"].dump());
  std::int64_t warned = 0;
  for (const auto& w : report["warnings"])
    if (w.contains("count") && w["code"] != "RESUMED") warned += w["count"].get<std::int64_t>();
  if (warned < lost) fail("a loss without a warning", report["warnings"].dump());

  // The same values re-read product by product give the same report (the
  // database reused across inputs makes this a re-migration most times).
  {
    cs::legacy::ImportOptions full;
    full.incremental = false;
    static std::unique_ptr<cs::Dispatcher> twin;
    if (uses % 64 == 1) {
      twin = std::make_unique<cs::Dispatcher>();
      if (cs::json::parse(twin->call("open", "{}"))["ok"] != true) fail("open", "");
    }
    cs::json other = cs::legacy::import(twin->session().db(), entries, full);
    for (const char* f : {"source", "loss", "fieldsIgnored", "ok", "errors"})
      if (other[f] != report[f]) fail("incremental and full re-migration disagree", std::string(f) + ": " + report[f].dump() + " vs " + other[f].dump());
  }

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

  // Rollback: every legacy key back, byte for byte (this input's keys are
  // the database's newest values), and the export imports cleanly elsewhere.
  cs::legacy::ExportOptions out;
  out.inline_images = true;
  cs::json exported = cs::legacy::export_keys(db, out);
  std::vector<std::string> values;
  for (const auto& e : exported["entries"]) values.push_back(e["value"].get<std::string>());
  if (uses % 64 == 1)  // a fresh database: nothing from earlier inputs (retained rows) in the export
    for (const auto& e : exported["entries"]) {
      auto it = storage.find(e["key"].get<std::string>());
      if (it != storage.end() && e["value"] != it->second) fail("export differs from the value", it->first);
    }
  std::vector<cs::legacy::Entry> back;
  std::size_t n = 0;
  for (const auto& e : exported["entries"]) back.push_back({e["key"].get<std::string>(), values[n++], false});
  cs::json round = cs::legacy::import(spare->session().db(), back, options);
  if (!round["errors"].empty()) fail("export does not import cleanly", round["errors"].dump());
  call(d, "legacy.report", cs::json::object());
  return 0;
}
