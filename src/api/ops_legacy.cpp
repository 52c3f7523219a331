// The localStorage migration (src/legacy/): these handlers only adapt
// arguments. Bytes never travel inside JSON: large legacy dumps arrive in the
// engine's import slot (the op table's bytes_in: js/engine/bytes.js stages
// them through cs_engine_import_buffer).
#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "json/json_text.hpp"
#include "legacy/legacy.hpp"
#include "vfs/transfer.hpp"
#include "ops.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

CS_COLD_CODE_BEGIN

namespace cs::ops {

namespace {

legacy::TimeZone time_zone(const Args& a) {
  legacy::TimeZone tz;
  const json& z = a.raw("timeZone");
  if (z.is_null()) return tz;
  Args zone(z, "timeZone");
  if (zone.has("transitions")) {
    const json& list = zone.array("transitions");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& t = list[i];
      // Range-checked before any conversion (a cast of 1e300 is undefined behaviour).
      const auto offset = t.is_array() && t.size() == 2 ? json_text::to_int64(t[1]) : std::nullopt;
      const double utc_ms = offset && t[0].is_number() ? t[0].get<double>() : 0;
      if (!offset || !t[0].is_number() || !(std::fabs(utc_ms) < 9e18) || *offset < -24 * 60 || *offset > 24 * 60)
        zone.fail("transitions", "must be [[utcMs, offsetMinutes], ...]");
      tz.transitions.emplace_back(static_cast<std::int64_t>(utc_ms), static_cast<int>(*offset));
    }
    std::sort(tz.transitions.begin(), tz.transitions.end());
  } else if (zone.has("offsetMinutes")) {
    tz.transitions.emplace_back(0, static_cast<int>(zone.integer_or("offsetMinutes", 0, -24 * 60, 24 * 60)));
  }
  return tz;
}

// The values of a request: inline JSON strings ({key, value}), or bytes
// staged in the import slot ({key, bytes}, in order). Owns the staged buffer.
struct Values {
  std::vector<legacy::Entry> entries;
  std::unique_ptr<unsigned char, decltype(&sqlite3_free)> staged{nullptr, &sqlite3_free};
};

Values read_values(Session& session, const Args& a, const char* field) {
  Values v;
  const json& list = a.array(field);
  bool staged = false;
  for (const json& e : list) staged = staged || (e.is_object() && e.contains("bytes"));
  std::size_t size = 0, offset = 0;
  if (staged) v.staged.reset(session.import_slot().take(&size));
  for (std::size_t i = 0; i < list.size(); ++i) {
    Args e(list[i], std::string(field) + "[" + std::to_string(i) + "]");
    legacy::Entry entry;
    entry.key = e.string("key");
    entry.lossy = e.boolean_or("lossy", false);
    if (e.has("bytes")) {
      const std::int64_t n = e.integer_or("bytes", 0, 0, std::int64_t{1} << 40);
      if (!v.staged || offset + static_cast<std::size_t>(n) > size)
        e.fail("bytes", "the staged buffer holds fewer bytes than the entries name (stage them in the import slot first)");
      entry.value = std::string_view(reinterpret_cast<const char*>(v.staged.get()) + offset, static_cast<std::size_t>(n));
      offset += static_cast<std::size_t>(n);
      // TextEncoder only writes UTF-8; anything else is kept but never released.
      if (!json_text::valid_utf8(entry.value)) entry.lossy = true;
    } else {
      const json& value = e.raw("value");
      if (!value.is_string()) e.fail("value", "must be a string (what localStorage.getItem returned)");
      entry.value = value.get_ref<const std::string&>();
    }
    v.entries.push_back(std::move(entry));
  }
  return v;
}

}  // namespace

json legacy_import(Session& session, const json& args) {
  Args a(args);
  Values values = read_values(session, a, "entries");
  legacy::ImportOptions options;
  options.time_zone = time_zone(a);
  options.final = a.boolean_or("final", true);
  options.run_id = a.integer_or("runId", 0, 0, std::int64_t{1} << 53);
  options.stop_after_groups = static_cast<int>(a.integer_or("stopAfterGroups", -1, -1, 1 << 20));
  options.incremental = a.boolean_or("incremental", true);
  if (legacy::ProgressSink sink = legacy::progress_sink())
    options.progress = [sink](const json& event) { sink(json_text::dump(event)); };
  if (a.has("otherKeys")) {
    options.other_keys_given = true;
    const json& others = a.array("otherKeys");
    for (std::size_t i = 0; i < others.size(); ++i) {
      const json& o = others[i];
      if (o.is_string()) options.other_keys.emplace_back(o.get<std::string>(), -1);
      else {
        Args oa(o, "otherKeys[" + std::to_string(i) + "]");
        options.other_keys.emplace_back(oa.string("key"), oa.integer_or("units", -1, -1, std::int64_t{1} << 40));
      }
    }
  }
  return legacy::import(session.db(), values.entries, options);
}

json legacy_report(Session& session, const json&) { return legacy::report(session.db()); }

json legacy_export(Session& session, const json& args) {
  Args a(args);
  legacy::ExportOptions options;
  if (a.has("keys"))
    for (const json& k : a.array("keys")) {
      if (!k.is_string()) a.fail("keys", "must be an array of strings");
      options.keys.push_back(k.get<std::string>());
    }
  options.inline_images = a.boolean_or("inlineImages", false);
  options.acknowledge = a.boolean_or("acknowledge", false);
  return legacy::export_keys(session.db(), options);
}

json legacy_get(Session& session, const json& args) {
  Args a(args);
  if (!a.has("id")) a.fail("id", "is required");
  return legacy::get_item(session.db(), a.string("entity"), a.raw("id"), a.boolean_or("inlineImages", false));
}

json legacy_save_ad(Session& session, const json& args) {
  Args a(args);
  return legacy::save_ad(session.db(), a.object("adData"), time_zone(a));
}

json legacy_release(Session& session, const json& args) {
  Args a(args);
  Values values = read_values(session, a, "entries");
  legacy::ReleaseOptions options;
  options.include_unmigrated = a.boolean_or("includeUnmigrated", false);
  return legacy::release(session.db(), values.entries, options);
}

json legacy_delete_sample(Session& session, const json&) { return legacy::delete_sample(session.db()); }

bool legacy_linked() { return true; }

}  // namespace cs::ops

CS_COLD_CODE_END
