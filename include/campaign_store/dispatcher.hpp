// The one door into the core. A request is an op name plus a JSON argument
// object (and, when it carries bytes, the blobs that go into it); the answer
// is a JSON envelope:
//   {"ok":true,  "result": <value>, "changes": ["products", ...], "values": [...]}
//   {"ok":false, "error": {"code": "...", "message": "...", "details": {...}}}
// `changes` lists the tables that committed transactions of this call touched
// (it drives live queries); it is omitted when empty. `values` lists what
// the result's JSON text cannot carry exactly: integers beyond 2^53 - 1 and
// bytes (json_text::AnswerValues; the bytes are at answer_values()); it is
// omitted when there is nothing of the kind, which is nearly always.
//
// call() never throws: every exception, ours or the standard library's, is
// caught here and becomes an error envelope. That is what lets the wasm build
// promise that no exception crosses the boundary.
#pragma once

#include "campaign_store/json_text.hpp"
#include "campaign_store/session.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cs {

using json = nlohmann::json;

// An op handler takes the session and the parsed arguments and returns the
// result; it reports failure by throwing cs::Error.
using OpHandler = json (*)(Session& session, const json& args);

// Who calls an op: anyone through the public store (a method per op), or
// only this package's own JS and tests (the sync loop's request builder, the
// raw migration with staged bytes, the VFS self test). store.call reaches
// both; only public ops become methods.
enum class Access : std::uint8_t { Public, Internal };

// What running an op again does, which decides how the multi-tab worker
// replays a forwarded request whose answer was lost (js/worker/executor.js).
enum class Replay : std::uint8_t {
  Once,   // it writes: applied at most once, through the request log
  Rerun,  // it only reads, or running it again is harmless, or it cannot
          // run inside the log's transaction: it simply runs again
};

struct OpSpec {
  std::string_view name;
  // Human-readable argument shape, e.g. "{sql: string, params?: array|object}".
  // Served by the `ops` op so clients and docs never drift from the table.
  std::string_view args;
  OpHandler handler;
  // Ops that do not need an open database (ping, version, open, ops).
  bool needs_database = true;
  // Top-level arguments that go into a JSON column unchanged: the door keeps
  // them as the text they came in (json_text::parse with raw members), so a
  // draft's 3 KB of step data is never built into a tree and written back.
  std::vector<std::string_view> raw_members = {};
  Access access = Access::Public;
  Replay replay = Replay::Once;
  // Closes the database's files: a persistent storage host behind it is spent.
  bool releases_storage = false;
};

// The op table: every op the core answers, in one place (src/api/op_table.cpp).
const std::vector<OpSpec>& op_table();
const OpSpec* find_op(std::string_view name);

class Dispatcher {
 public:
  Dispatcher() = default;

  // op + JSON text in, JSON envelope text out. Never throws. Whether it
  // succeeded and which tables it changed are also kept beside the answer
  // (answered_ok, answer_changes), so a caller that passes the text on
  // unparsed (the JS door, the worker) learns both without reading it.
  //
  // Bytes in: `blobs` is a JSON array [[path, length], ...] and `bytes` the
  // blobs one after the other; each goes into the arguments at its path (keys
  // and indices, where the JSON text holds a placeholder) as a binary value,
  // which binds as a BLOB. A path into a member kept as raw JSON text is a
  // JSON document, which cannot hold bytes: INVALID_ARGUMENT.
  std::string call(std::string_view op, std::string_view args_json, std::string_view blobs = {},
                   std::string_view bytes = {}) noexcept;

  // The last call's status and changes, as its envelope states them.
  bool answered_ok() const { return ok_; }
  const std::vector<std::string>& answer_changes() const { return changes_; }

  // What the last call's answer could not say in JSON text (its bytes).
  const json_text::AnswerValues& answer_values() const { return values_; }
  // Forgets the last answer's values and frees their memory, once read.
  void release_answer_values() { values_ = json_text::AnswerValues(); }

  Session& session() { return session_; }

 private:
  json run(const OpSpec* spec, std::string_view op, const json& args);

  Session session_;
  json_text::AnswerValues values_;
  bool ok_ = false;
  std::vector<std::string> changes_;
};

}  // namespace cs
