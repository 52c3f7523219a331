#include "campaign_store/dispatcher.hpp"

#include "campaign_store/json_text.hpp"

#include <new>

namespace cs {

namespace {

// Requests bigger than this are refused before parsing: a runaway caller must
// not be able to exhaust the wasm heap with one message.
constexpr std::size_t kMaxRequestBytes = 64u << 20;

std::string dump(const json& value) {
  // Invalid UTF-8 from the database (a BLOB read as TEXT, say) must not turn a
  // successful answer into an exception: the writer replaces it.
  return json_text::dump(value);
}

std::string error_envelope(const Error& e) {
  return dump(json{{"ok", false}, {"error", e.to_json()}});
}

}  // namespace

const OpSpec* find_op(std::string_view name) {
  for (const OpSpec& spec : op_table())
    if (spec.name == name) return &spec;
  return nullptr;
}

json Dispatcher::call_json(std::string_view op, const json& args) { return run(find_op(op), op, args); }

json Dispatcher::run(const OpSpec* spec, std::string_view op, const json& args) {
  if (spec == nullptr)
    throw Error(Code::NotFound, "unknown op '" + std::string(op) + "'", {{"op", std::string(op)}});
  if (spec->needs_database) session_.db();  // throws a clear error when closed
  return spec->handler(session_, args);
}

std::string Dispatcher::call(std::string_view op, std::string_view args_json) noexcept {
  try {
    try {
      if (args_json.size() > kMaxRequestBytes)
        throw Error(Code::InvalidArgument, "request too large",
                    {{"bytes", args_json.size()}, {"limit", kMaxRequestBytes}});
      const OpSpec* spec = find_op(op);
      json args = json::object();
      if (!args_json.empty()) {
        const json_text::Parsed parsed = spec != nullptr && !spec->raw_members.empty()
                                             ? json_text::parse(args_json, args, spec->raw_members)
                                             : json_text::parse(args_json, args);
        if (parsed == json_text::Parsed::TooDeep)
          throw Error(Code::InvalidArgument, "arguments are nested too deeply",
                      {{"op", std::string(op)}, {"limit", json_text::kMaxDepth}});
        if (parsed != json_text::Parsed::Ok)
          throw Error(Code::InvalidArgument, "arguments are not valid JSON", {{"op", std::string(op)}});
      }
      json result = run(spec, op, args);
      json envelope{{"ok", true}, {"result", std::move(result)}};
      auto changes = session_.take_committed_changes();
      if (!changes.empty()) envelope["changes"] = changes;
      return dump(envelope);
    } catch (const Error& e) {
      session_.take_committed_changes();  // a failed call commits nothing
      if (e.details().is_object() && !e.details().contains("op")) {
        json details = e.details();
        details["op"] = std::string(op);
        return error_envelope(Error(e.code(), e.message(), std::move(details)));
      }
      return error_envelope(e);
    } catch (const json::exception& e) {
      // nlohmann type errors come from argument shapes we did not check.
      return error_envelope(Error(Code::InvalidArgument, e.what(), {{"op", std::string(op)}}));
    } catch (const std::bad_alloc&) {
      return error_envelope(Error(Code::StorageFull, "out of memory", {{"op", std::string(op)}}));
    } catch (const std::exception& e) {
      return error_envelope(Error(Code::Internal, e.what(), {{"op", std::string(op)}}));
    }
  } catch (...) {
    // Even building the error failed (out of memory): a fixed answer.
    return R"({"error":{"code":"INTERNAL","message":"unrecoverable error","details":{}},"ok":false})";
  }
}

}  // namespace cs
