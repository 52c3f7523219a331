// State of a sync engine shared by its source files (capture, push, pull).
#pragma once

#include "campaign_store/sync.hpp"

#include <map>
#include <string>

namespace cs::sync {

struct Engine::State {
  explicit State(std::string node) : clock(std::move(node)) {}
  Hlc clock;
  bool capture = true;  // false while rows from the server are written
  Options options;

  bool cycle_active = false;
  bool push_done = false;
  bool pull_done = false;
  std::int64_t request_seq = 0;
  // The request handed out last, with what applying its response needs
  // (the outbox rows a push carries). null when none is out.
  json inflight;

  // A `blobs` table exists (blob uploads need one; a bare test schema may lack it).
  bool blobs_table = false;

  // Per table: the SELECT of one row and the UPSERT of one remote row.
  std::map<std::string, std::string> select_sql;
  std::map<std::string, std::string> upsert_sql;
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
json encode_column(const Statement& row, int index, const ColumnSpec& column);
void bind_column(Statement& stmt, int index, const json& value, const ColumnSpec& column);

inline constexpr const char* kPushPath = "/rest/v1/rpc/sync_push";
inline constexpr const char* kPullPath = "/rest/v1/rpc/sync_pull";
inline constexpr const char* kStoragePath = "/storage/v1/object/";
inline constexpr const char* kPublicPath = "/storage/v1/object/public/";

}  // namespace cs::sync
