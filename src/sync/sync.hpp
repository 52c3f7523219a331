// Sync, sans-I/O. This layer never touches the network: it turns the outbox
// into the next request to make (method, path, JSON body) and applies the
// response it is handed, atomically. The worker's fetch loop (js/sync/) only
// carries requests and adds the auth headers.
//
// Capture: triggers on every synced table append (table, id, op, hlc, the
// columns an update changed) to sync_outbox in the same transaction as the
// write, so nothing written locally (through any op, raw SQL included)
// escapes sync. Rows applied from the server are written with capture off,
// and so is a cascade through a foreign key the server has too (the server
// applies it itself, keeping the clocks of the writes involved).
//
// Protocol (supabase/README.md): push = rpc/sync_push {client_id, changes},
// pull = rpc/sync_pull {cursor, limit}. Last writer wins by HLC, per row.
// Every pulled row is checked as the data API checks a write (each column's
// decode, the id, the owner, the clock) and parked in sync_rejected when it
// fails; the cursor moves on either way.
//
// Blobs (src/sync/blobs.cpp): rows that reference a local content-addressed
// blob ("blob:sha256:<hex>[#label]" in a BlobColumn) make the cycle upload
// that blob to Supabase Storage at <bucket>/<userId>/<sha256> before any
// push; its answer rewrites those rows to the object's storage path and
// public URL, which the next push carries (with the row's pending change,
// at its clock).
#pragma once

#include "db/database.hpp"
#include "sync/hlc.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cs::sync {

using json = nlohmann::json;

struct RemoteRow;  // a checked change from the server (src/sync/engine_state.hpp)

// How a local SQLite value maps to the server's JSON value.
enum class ColumnKind {
  Text,     // TEXT both sides (uuids, timestamps)
  Integer,  // INTEGER both sides
  Real,     // REAL / double precision
  Boolean,  // 0/1 locally, true/false remotely
  Json,     // JSON text locally, a JSON value remotely (jsonb)
  Decimal,  // exact decimal: INTEGER scaled by 10^scale locally, "12.34" remotely
};

struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::Text;
  int scale = 0;  // Decimal only
  std::string remote_name;  // empty = same as name
  // Checks a value the server sent for this column and returns what is
  // stored locally (null, an integer or text); throws cs::Error
  // (INVALID_ARGUMENT, naming the column) when the value breaks the rules
  // of the data API. Empty: the kind's plain conversion, which never refuses.
  std::function<json(const json& remote)> decode;
};

struct TableSpec {
  std::string name;               // same name on both sides
  std::vector<ColumnSpec> columns;  // the primary key column `id` included
  // One row per user whose id is the user's id (users): sync.configure
  // creates it locally without capturing it (a blank row must never win
  // over the profile another device wrote), and no pull removes it.
  bool owner_table = false;
  // Parents this table references only locally (the server has no such
  // foreign key): a delete there cascades here as ordinary, captured
  // writes. A cascade through any other foreign key is the server's to
  // apply, so it is not captured.
  std::vector<std::string> local_parents;
};

// A column that may hold a reference to a local blob, and where the blob
// goes once uploaded. The local blobs live in `blobs(hash, data, size, mime)`.
// A JSON column (`json`) holds references anywhere in its text, as string
// values ("blob:sha256:<hex>[#label]"); each becomes the public URL (with the
// same #label) in place, and it has no path column.
struct BlobColumn {
  std::string table;        // a synced table
  std::string url_column;   // "blob:sha256:<hex>[#label]" until uploaded, then the public URL
  std::string path_column;  // gets "<userId>/<sha256>" (the object's name in its bucket); empty for JSON
  std::string bucket;       // Supabase Storage bucket
  bool json = false;        // url_column is a JSON document holding references
};

struct Options {
  int push_batch = 200;   // changes per push request
  int pull_page = 500;    // rows per pull page
  std::string storage_url;  // the Supabase project URL; empty: blobs are not uploaded
};

class Engine {
 public:
  // `blobs`: the columns whose blob references are uploaded (install()
  // creates their capture triggers).
  Engine(Database& db, std::vector<TableSpec> tables, std::vector<BlobColumn> blobs = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates the sync tables and capture triggers (idempotent), registers the
  // SQL functions, and restores the clock. Called on every open.
  void install();

  // {userId, url?, pushBatch?, pullPage?}: binds this database to a user. A
  // database already bound to another user refuses (UNAUTHORIZED): one local
  // database per user, so nobody's data is pushed under another account.
  // `url` (the Supabase project URL) turns blob uploads on: it is what the
  // public URLs written into rows start with.
  json configure(const json& args);

  // Starts a sync cycle: push everything pending, then pull until caught up.
  json begin();
  // The next request of the cycle: {kind:"push"|"pull", id, method, path,
  // body}, {kind:"upload", id, method, path, headers, blob:{hash, bucket,
  // size, mime, storagePath, publicUrl}} (the body is the blob's bytes,
  // which the caller reads from the blobs table: see ops_sync.cpp), or
  // {kind:"idle"} when the cycle is done. Uploads come before every push.
  json next_request();
  // {id, status, body}: applies the response of request `id`. Non-2xx
  // statuses change nothing and say whether to retry ({retry:"auth"|"backoff"}).
  json apply_response(const json& args);

  json status();

  // {state?, limit?}: the blobs this user's rows reference and what became
  // of their uploads: [{bucket, hash, state, attempts, lastStatus, lastError,
  // storagePath, updatedAt}].
  json blobs(const json& args);
  // {hash?}: rejected uploads (all, or of one hash) become pending again.
  json retry_blobs(const json& args);

  // Enqueues every existing row that has no pending change (used when a
  // database is first bound to a user, so data written before sign-in syncs).
  std::int64_t enqueue_all();

  // The database is a copy (an imported export, a restored backup): it
  // must not push under the client id it was copied with, whose mutation
  // ids the server has already seen. The next install() picks a new one.
  static void forget_identity(Database& db);

 // Defined in src/sync/engine_state.hpp; public so the SQL functions the
  // capture triggers call can reach it.
  struct State;

 private:
  void install_capture(const TableSpec& table);
  void read_references();
  void restore_clock();
  json build_push();
  json build_upload();
  json apply_upload(const json& request, std::int64_t http, const json& body);
  void install_blob_capture();
  bool blob_refs_live(const std::string& bucket, const std::string& hash);
  std::int64_t rewrite_blob_refs(const std::string& bucket, const std::string& hash,
                                 const std::string& storage_path, const std::string& public_url);
  std::int64_t rewrite_json_refs(const BlobColumn& column, const std::string& id, const std::string& ref,
                                 const std::string& public_url);
  void record_blob(const std::string& bucket, const std::string& hash, const char* state,
                   std::int64_t http, const std::string& error);
  json build_pull();
  json apply_push(const json& request, const json& body);
  json refuse_push(const json& request, std::int64_t http, const json& body);
  void adopt_new_identity();
  void forget_pending(const std::string& table_name, const std::string& id, std::int64_t up_to);
  json stashed_row_json(const TableSpec& table, const std::string& id);
  void record_acked(const TableSpec& table, const json& carried, const json& sent);
  void forget_acked(const std::string& table_name, const std::string& id);
  void acknowledge_pending(const TableSpec& table, const std::string& id);
  void reject(const char* source, const json& mutation_id, const std::string& table_name, const std::string& id,
              const std::string& op, const std::string& hlc, const std::string& code, const std::string& message,
              const json& row);
  json apply_pull(const json& request, const json& body);
  void park_pulled(const json& change, const Error& why, json& summary);
  // What a pulled row does to this device's last acknowledged write of it.
  enum class Acked { None, Held, Overwritten };
  Acked acked_state(const RemoteRow& row);
  void apply_remote_row(const RemoteRow& row);
  void delete_local(const TableSpec& table, const std::string& id);
  bool has_children(const std::string& table_name) const;
  std::int64_t sweep_unseen();
  std::int64_t resolve_orphans();
  const TableSpec* table(const std::string& name) const;
  std::string get_state(const char* key, const std::string& fallback = "");
  void set_state(const char* key, const std::string& value);
  void record_conflict(const std::string& table, const std::string& id, const json& local,
                       const json& remote, const char* winner);
  json local_row_json(const TableSpec& table, const std::string& id);

  Database& db_;
  std::vector<TableSpec> tables_;
  std::vector<BlobColumn> blob_columns_;
  std::unique_ptr<State> state_;
};

}  // namespace cs::sync
