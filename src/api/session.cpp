#include "api/session.hpp"

#include "sync/model_tables.hpp"
#include "model/repos.hpp"

#include <sqlite3.h>

#include <cstring>

namespace cs {

namespace {

// The columns that hold "blob:sha256:<hex>" references (legacy data: URLs,
// store.blobs.put uploads), as their value or (JSON columns) inside it, and
// the Storage bucket each one's blobs go to.
std::vector<sync::BlobColumn> blob_columns() {
  return {
      {"product_images", "url", "storage_path", "product-images"},
      {"background_versions", "url", "storage_path", "product-images"},
      {"creative_assets", "url", "storage_path", "creative-assets"},
      // Images inside JSON documents: a legacy campaign's data, a draft's steps.
      {"campaigns", "legacy_data", "", "campaign-assets", true},
      {"campaign_drafts", "step_data", "", "campaign-assets", true},
  };
}

}  // namespace

Session::~Session() { close(); }

void Session::open(const OpenOptions& options) {
  if (db_) throw Error(Code::Conflict, "a database is already open in this engine; close it first");
  auto db = std::make_unique<Database>(options);
  sqlite3_update_hook(db->handle(), &Session::on_update, this);
  sqlite3_commit_hook(db->handle(), &Session::on_commit, this);
  sqlite3_rollback_hook(db->handle(), &Session::on_rollback, this);
  db_ = std::move(db);
}

void Session::start_engines() {
  // Every data-API commit brings the full-text index up to date first.
  db().set_before_commit([](Database& db) { model::search::index_pending(db); });
  sync_ = std::make_unique<sync::Engine>(db(), sync::model_tables(), blob_columns());
  sync_->install();
}

sync::Engine& Session::sync() {
  if (!sync_) throw Error(Code::InvalidArgument, "no database is open: call `open` first");
  return *sync_;
}

void Session::close() {
  sync_.reset();
  db_.reset();
  pending_.clear();
  committed_.clear();
}

Database& Session::db() {
  if (!db_) throw Error(Code::InvalidArgument, "no database is open: call `open` first");
  return *db_;
}

std::set<std::string> Session::take_committed_changes() {
  std::set<std::string> out;
  out.swap(committed_);
  return out;
}

void Session::on_update(void* self, int, const char*, const char* table, long long) {
  // FTS5 shadow tables (fts_products_data, ...) and SQLite's own tables are
  // bookkeeping of a table that is already reported; live queries never
  // read them.
  if (std::strncmp(table, "fts_", 4) == 0 || std::strncmp(table, "sqlite_", 7) == 0) return;
  static_cast<Session*>(self)->pending_.insert(table);
}

int Session::on_commit(void* self) {
  auto* s = static_cast<Session*>(self);
  s->committed_.insert(s->pending_.begin(), s->pending_.end());
  s->pending_.clear();
  return 0;  // 0 = let the commit proceed
}

void Session::on_rollback(void* self) { static_cast<Session*>(self)->pending_.clear(); }

}  // namespace cs
