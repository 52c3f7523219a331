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

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cs {

class Session;
namespace json_text {
struct AnswerValues;
}

class Dispatcher {
 public:
  Dispatcher();
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

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

  // What the last call's answer could not say in JSON text (its bytes;
  // src/json/json_text.hpp).
  const json_text::AnswerValues& answer_values() const;
  // Forgets the last answer's values and frees their memory, once read.
  void release_answer_values();

  // The open database and its engines, for the core's own tests and tools
  // (src/api/session.hpp).
  Session& session();

 private:
  struct State;  // the session and the answer's values (dispatcher.cpp)
  std::unique_ptr<State> state_;
  bool ok_ = false;
  std::vector<std::string> changes_;
};

}  // namespace cs
