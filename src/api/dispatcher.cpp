#include "campaign_store/dispatcher.hpp"

#include "api/op_table.hpp"
#include "api/session.hpp"
#include "db/error.hpp"
#include "json/json_text.hpp"

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

struct Dispatcher::State {
  Session session;
  json_text::AnswerValues values;

  json run(const OpSpec* spec, std::string_view op, const json& args);
};

Dispatcher::Dispatcher() : state_(std::make_unique<State>()) {}
Dispatcher::~Dispatcher() = default;

const json_text::AnswerValues& Dispatcher::answer_values() const { return state_->values; }
void Dispatcher::release_answer_values() { state_->values = json_text::AnswerValues(); }
Session& Dispatcher::session() { return state_->session; }

const OpSpec* find_op(std::string_view name) {
  for (const OpSpec& spec : op_table())
    if (spec.name == name) return &spec;
  return nullptr;
}

json Dispatcher::State::run(const OpSpec* spec, std::string_view op, const json& args) {
  if (spec == nullptr)
    throw Error(Code::NotFound, "unknown op '" + std::string(op) + "'", {{"op", std::string(op)}});
  if (spec->needs_database) session.db();  // throws a clear error when closed
  return spec->handler(session, args);
}

namespace {

// The blobs of a request into its arguments, at their paths.
void place_blobs(json& args, std::string_view blobs, std::string_view bytes) {
  json list;
  if (json_text::parse(blobs, list) != json_text::Parsed::Ok || !list.is_array())
    throw Error(Code::InvalidArgument, "the request's blob list is not a JSON array");
  std::size_t offset = 0;
  for (const json& blob : list) {
    const auto length = blob.is_array() && blob.size() == 2 ? json_text::to_int64(blob[1]) : std::nullopt;
    if (!length || *length < 0 || !blob[0].is_array() || blob[0].empty() ||
        static_cast<std::uint64_t>(*length) > bytes.size() - offset)
      throw Error(Code::InvalidArgument, "the request's blob list does not match its bytes");
    std::string field;  // for errors: "params[0]"
    json* at = &args;
    for (const json& step : blob[0]) {
      if (json_text::is_raw(*at))
        throw Error(Code::InvalidArgument, field + ": bytes cannot be part of a JSON document",
                    {{"field", field}});
      if (step.is_string() && at->is_object() && at->contains(step.get_ref<const std::string&>())) {
        field = json_text::join_path(field, step.get_ref<const std::string&>());
        at = &(*at)[step.get_ref<const std::string&>()];
      } else if (auto i = json_text::to_int64(step); i && at->is_array() && *i >= 0 &&
                                                    static_cast<std::uint64_t>(*i) < at->size()) {
        field += "[" + std::to_string(*i) + "]";
        at = &(*at)[static_cast<std::size_t>(*i)];
      } else {
        throw Error(Code::InvalidArgument, "a blob's path is not in the request's arguments");
      }
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data()) + offset;
    *at = json::binary(json::binary_t::container_type(p, p + *length));
    offset += static_cast<std::size_t>(*length);
  }
}

}  // namespace

std::string Dispatcher::call(std::string_view op, std::string_view args_json, std::string_view blobs,
                             std::string_view bytes) noexcept {
  json_text::AnswerValues& values = state_->values;
  Session& session = state_->session;
  values.clear();
  ok_ = false;
  changes_.clear();
  try {
    try {
      if (args_json.size() + bytes.size() > kMaxRequestBytes)
        throw Error(Code::InvalidArgument, "request too large",
                    {{"bytes", args_json.size() + bytes.size()}, {"limit", kMaxRequestBytes}});
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
          throw Error(Code::InvalidArgument, "arguments are not valid JSON",
                      {{"op", std::string(op)}, {"reason", "invalid_json"}});
      }
      if (!blobs.empty()) place_blobs(args, blobs, bytes);
      json result = state_->run(spec, op, args);
      auto changes = session.take_committed_changes();
      // The envelope's members in name order: changes, ok, result, values.
      std::string out;
      if (!changes.empty()) {
        out = R"({"changes":)";
        json_text::append(out, json(changes));
        out += ',';
      } else {
        out = "{";
      }
      out += R"("ok":true,"result":)";
      try {
        json_text::append_answer(out, result, values);
      } catch (const json_text::InvalidText& bad) {
        const std::string field = bad.path.empty() ? "result" : bad.path;
        json details{{"field", field}, {"reason", "invalid_utf8"}};
        // Too late to roll back: say what did commit.
        if (!changes.empty()) details["committed"] = changes;
        throw Error(Code::InvalidArgument,
                    field + ": the value is TEXT that is not valid UTF-8, which no JavaScript string holds; "
                            "select it as a BLOB (CAST(x AS BLOB)) to read its bytes",
                    std::move(details));
      }
      if (!values.empty()) {
        out += R"(,"values":[)";
        out += values.entries;
        out += ']';
      }
      out += '}';
      ok_ = true;
      changes_.assign(changes.begin(), changes.end());
      return out;
    } catch (const Error& e) {
      values.clear();
      session.take_committed_changes();  // a failed call commits nothing
      if (e.details().is_object() && !e.details().contains("op")) {
        json details = e.details();
        details["op"] = std::string(op);
        return error_envelope(Error(e.code(), e.message(), std::move(details)));
      }
      return error_envelope(e);
    } catch (const json::exception& e) {
      values.clear();
      // nlohmann type errors come from argument shapes we did not check.
      return error_envelope(Error(Code::InvalidArgument, e.what(), {{"op", std::string(op)}}));
    } catch (const std::bad_alloc&) {
      values.clear();
      return error_envelope(Error(Code::StorageFull, "out of memory", {{"op", std::string(op)}}));
    } catch (const std::exception& e) {
      values.clear();
      return error_envelope(Error(Code::Internal, e.what(), {{"op", std::string(op)}}));
    }
  } catch (...) {
    // Even building the error failed (out of memory): a fixed answer.
    values.clear();
    return R"({"error":{"code":"INTERNAL","message":"unrecoverable error","details":{}},"ok":false})";
  }
}

}  // namespace cs
