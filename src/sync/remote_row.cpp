// A change the server sent, checked before anything of it is written: the
// same rules as the data API's (each column's decode), plus what only sync
// can check (the id, the clock, the owner). A server is not trusted to have
// checked: a broken or hostile one must not wedge or corrupt a device, so
// what fails is parked by the caller (sync_rejected), never applied.
#include "engine_state.hpp"

#include "model/limits.hpp"

#include <algorithm>

namespace cs::sync {

namespace {

[[noreturn]] void refuse(const std::string& what, Code code = Code::InvalidArgument) {
  throw Error(code, what);
}

// Marked by parse_response (engine.cpp) on a change that held a JSON value
// nested deeper than this device can store.
constexpr const char* kTooDeep = "__campaign_store_too_deep";

}  // namespace

bool valid_row_id(const json& id) {
  if (!id.is_string()) return false;
  const std::string& s = id.get_ref<const std::string&>();
  if (s.empty() || s.size() > limits::kMaxIdBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '!' && c <= '~'; });
}

RemoteRow decode_remote(const TableSpec& t, const json& change, const std::string& user,
                        const std::vector<std::string>& required) {
  RemoteRow out;
  out.table = &t;
  if (!valid_row_id(change.value("id", json())))
    refuse("id must be 1 to " + std::to_string(limits::kMaxIdBytes) + " printable ASCII characters");
  out.id = change["id"].get<std::string>();
  if (change.contains(kTooDeep)) refuse("a JSON value is nested deeper than this device can store");

  const json& clock = change.value("hlc", json());
  std::optional<HlcStamp> stamp = clock.is_string() ? HlcStamp::parse(clock.get_ref<const std::string&>()) : std::nullopt;
  if (!stamp || stamp->node.size() > 64 ||
      !std::all_of(stamp->node.begin(), stamp->node.end(), [](char c) { return c >= '!' && c <= '~'; }))
    refuse("hlc must look like WWWWWWWWWWWWW-CCCCC-NODE");
  if (stamp->wall_ms > wall_clock_ms() + kMaxRemoteClockAheadMs)
    refuse("hlc is more than a day ahead of this device's clock");
  out.hlc = clock.get<std::string>();

  const json& deleted = change.value("deleted", json(false));
  if (!deleted.is_boolean()) refuse("deleted must be a boolean");
  out.deleted = deleted.get<bool>();

  const json& row = change.value("row", json());
  if (row.is_object() && row.contains("user_id") && row["user_id"] != json(user))
    refuse("the row belongs to another user", Code::Unauthorized);
  if (out.deleted) return out;

  if (!row.is_object()) refuse("row must be an object");
  if (!row.contains("user_id")) refuse("row.user_id is missing", Code::Unauthorized);
  if (row.contains("id") && row["id"] != change["id"]) refuse("row.id differs from id");
  out.values.reserve(t.columns.size());
  for (const ColumnSpec& c : t.columns) {
    const std::string& key = c.remote_name.empty() ? c.name : c.remote_name;
    if (c.name == "id") {
      out.values.emplace_back(out.id);
      continue;
    }
    if (c.name == "hlc") {
      out.values.emplace_back(out.hlc);
      continue;
    }
    auto it = row.find(key);
    json value = it == row.end() ? json() : *it;
    if (value.is_null()) {
      if (std::find(required.begin(), required.end(), c.name) != required.end()) refuse(key + ": must not be null");
      out.values.emplace_back(nullptr);
      continue;
    }
    try {
      out.values.push_back(decode_column(value, c));
    } catch (const Error& e) {
      // The data API names the field by its API name; say which column.
      std::string message = e.message();
      if (message.rfind(key, 0) != 0) message = key + ": " + message;
      throw Error(e.code(), message);
    }
  }
  return out;
}

}  // namespace cs::sync
