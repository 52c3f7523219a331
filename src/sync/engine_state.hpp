// State of a sync engine shared by its source files (capture, push, pull).
#pragma once

#include "sync/sync.hpp"

#include "model/row_store.hpp"

#include <map>
#include <string>
#include <vector>

namespace cs::sync {

// A foreign key between two synced tables, as the local schema has it.
struct ForeignKey {
  std::string child, column, parent;
  bool cascade = false;         // ON DELETE CASCADE; otherwise SET NULL
  bool server_mirrors = true;   // the server has the same key (see TableSpec::local_parents)
};

// How far ahead of this device's wall clock a clock from the server may be
// before it is refused (and never observed): a day. The server itself
// refuses clocks more than an hour ahead of its own; the margin is for a
// device whose clock is behind.
inline constexpr std::int64_t kMaxRemoteClockAheadMs = 24LL * 3600 * 1000;

struct Engine::State {
  explicit State(std::string node) : clock(std::move(node)) {}
  Hlc clock;
  bool capture = true;  // false while rows from the server are written
  Options options;
  // Changes per push right now: options.push_batch, halved while the server
  // refuses pushes as too large (413) or too deep (400 PGRST102).
  int push_limit = 0;

  // Moves to a new client id in this cycle (push.cpp), bounded.
  int identity_changes = 0;
  // A page of this cycle's pull wrote rows: check foreign keys at its end.
  bool pull_wrote = false;

  std::vector<ForeignKey> foreign_keys;
  // Per table: the columns that are NOT NULL without a default.
  std::map<std::string, std::vector<std::string>> required;

  bool cycle_active = false;
  bool push_done = false;
  bool pull_done = false;
  std::int64_t request_seq = 0;
  // The request handed out last, with what applying its response needs
  // (the outbox rows a push carries). null when none is out.
  json inflight;

  // A `blobs` table exists (blob uploads need one; a bare test schema may lack it).
  bool blobs_table = false;

  // Per table: the SELECT of one row, and the core's writer of a remote row
  // (every column, the server's times and hlc as given).
  std::map<std::string, std::string> select_sql;
  std::map<std::string, model::RowUpsert> upserts;
};

// RAII: writes made while alive are not captured into the outbox.
class CaptureOff {
 public:
  explicit CaptureOff(bool& flag) : flag_(flag), saved_(flag) { flag_ = false; }
  ~CaptureOff() { flag_ = saved_; }
  CaptureOff(const CaptureOff&) = delete;
  CaptureOff& operator=(const CaptureOff&) = delete;

 private:
  bool& flag_;
  bool saved_;
};

// RAII: foreign keys off for the remote writes of one transaction. Must be
// created before the Transaction (the pragma is a no-op inside one).
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Database& db) : db_(db) { db_.exec("PRAGMA foreign_keys = OFF"); }
  ~ForeignKeysOff() {
    try {
      db_.exec("PRAGMA foreign_keys = ON");
    } catch (...) {
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Database& db_;
};

// SQL identifiers come from our own table specs, never from a request.
std::string quoted(const std::string& identifier);
bool table_exists(Database& db, const std::string& name);

// Row codec (row_codec.cpp): local column value <-> server JSON value.
json encode_value(const json& local, const ColumnSpec& column);
json encode_column(const Statement& row, int index, const ColumnSpec& column);
// A server value as stored locally: the column's decode (which may refuse
// it, throwing INVALID_ARGUMENT) or the kind's plain conversion.
json decode_column(const json& value, const ColumnSpec& column);

// A change from the server, checked (remote_row.cpp) and decoded: what
// apply_pull writes, or why it is parked.
struct RemoteRow {
  const TableSpec* table = nullptr;
  std::string id;
  std::string hlc;
  bool deleted = false;
  std::vector<json> values;  // per table column, as stored locally (live rows)
};
// Throws cs::Error (INVALID_ARGUMENT, UNAUTHORIZED) saying what is wrong.
RemoteRow decode_remote(const TableSpec& table, const json& change, const std::string& user,
                        const std::vector<std::string>& required);
// A short digest of a column value as stored here (sync_acked.fields).
std::string value_digest(const json& stored);

// A pulled or pushed row id: 1..64 printable ASCII, as the data API's ids.
bool valid_row_id(const json& id);

inline constexpr const char* kPushPath = "/rest/v1/rpc/sync_push";
inline constexpr const char* kPullPath = "/rest/v1/rpc/sync_pull";
inline constexpr const char* kStoragePath = "/storage/v1/object/";
inline constexpr const char* kPublicPath = "/storage/v1/object/public/";

}  // namespace cs::sync
