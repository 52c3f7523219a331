// The op table's entries: what the core knows about each op. The table
// itself is src/api/op_table.cpp; the `ops` op serves it to clients.
#pragma once

#include "api/session.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
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

// Bytes an op reads from the import slot before it runs (vfs/transfer.hpp).
// The JS engine stages them from the call's args (js/engine/bytes.js), so
// bytes never travel inside the JSON door.
enum class BytesIn : std::uint8_t {
  None,
  Member,   // args.bytes: one Uint8Array or ArrayBuffer
  Entries,  // args.entries[].value: strings, staged as UTF-8 in order and
            // named by their byte counts ({key, bytes})
};

// Who writes the store's method for a public op.
enum class Method : std::uint8_t {
  Generated,  // tools/gen-ops.mjs, from OpSpec::method (js/client/methods.generated.js)
  Facade,     // a JS facade with the same signature (store.blobs: js/legacy/client.js)
};

struct OpSpec {
  std::string_view name;
  // Human-readable argument shape, e.g. "{sql: string, params?: array|object}".
  // Served by the `ops` op so clients and docs never drift from the table.
  std::string_view args;
  // The store's method for the op as a TypeScript signature, e.g.
  // "(id: Id, ...patch: ProductPatch) => Product": a `...name` parameter is
  // an object whose fields are spread into the args, any other parameter is
  // the arg of its name, and the result is what the promise resolves with.
  // tools/gen-ops.mjs makes the JS method and its .d.ts line from it. Empty:
  // no generated method (internal ops, and what the store writes itself:
  // open, close, sql.*, batch).
  std::string_view method;
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
  BytesIn bytes_in = BytesIn::None;
  // The result member that receives the bytes the op left in the export
  // slot (empty: it leaves none).
  std::string_view bytes_out = {};
  Method method_by = Method::Generated;
  // Runs src/legacy (the localStorage migration and its compat facade). The
  // lean module leaves that code out and lists these ops as absent.
  bool legacy_code = false;
};

// The op table: every op the core answers, in one place (src/api/op_table.cpp).
const std::vector<OpSpec>& op_table();
const OpSpec* find_op(std::string_view name);

}  // namespace cs
