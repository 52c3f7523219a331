// Blobs to Supabase Storage, sans-I/O like the rest of sync/.
//
// Capture: a trigger per BlobColumn notes every local row whose column
// references a blob ("blob:sha256:<hex>[#label]") in sync_blob_refs, in the
// writing transaction. Rows written from the server are not noted (capture
// is off then).
//
// Upload: before every push batch the engine picks the oldest noted blob
// that has local bytes and is neither acknowledged nor rejected, and asks
// for POST /storage/v1/object/<bucket>/<userId>/<sha256> with the bytes as
// the body, x-upsert false. The object's name is its content hash, so an
// object that already exists there holds the same bytes: a 409 Duplicate
// (a retry after a lost answer, or another device of the user uploading
// first) is an acknowledgement like a 200.
//
// Acknowledgement, in one transaction: sync_blobs says 'acknowledged' (never
// uploaded again, restarts included), and the noted rows get the object's
// storage path and public URL in place of the reference. The push that
// follows carries it: with the pending change of the row, at its clock, or
// (a row pushed before) as a change of its own. The
// local bytes stay in `blobs`; the public URL ends in the hash, which is how
// the client finds them offline (js/legacy/client.js blobHash).
//
// Refusal (403 RLS, 400, 404 bucket, 413 size): 'rejected' with the reason,
// counted in status, not retried until sync.retryBlobs. Rows that reference
// a rejected blob are pushed with their local reference: the row syncs, the
// image does not, and the app can see why.
#include "engine_state.hpp"

#include "blobs/blob_store.hpp"
#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "model/clock.hpp"

#include <cctype>
#include <optional>

CS_COLD_CODE_BEGIN

namespace cs::sync {

namespace {

// The SQL below spells a reference out: the prefix 'blob:sha256:' is
// characters 1..12, the hash 13..76, and a label follows a '#' at 77.
static_assert(blobs::kRefPrefix == "blob:sha256:", "the SQL of this file spells the reference prefix out");

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// One path segment, percent-encoded (everything but RFC 3986 unreserved).
std::string segment(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// "col = ref OR col starts with ref#": the column (or expression) references
// the blob; a JSON column references it when its text holds the reference.
std::string references(const std::string& column, bool is_column = true, bool json_text = false) {
  const std::string c = is_column ? quoted(column) : "(" + column + ")";
  if (json_text) return "(instr(" + c + ", ?1) > 0)";
  return "(" + c + " = ?1 OR substr(" + c + ", 1, 77) = ?1 || '#')";
}

// The sync_blob_refs rows of a JSON document `doc` (of row `row_id`, with
// `from` naming the table it comes from, if any): its string values that are
// blob references, wherever they are in it.
std::string json_refs(const BlobColumn& b, const std::string& doc, const std::string& row_id,
                      const std::string& from = "") {
  return "SELECT DISTINCT " + literal(b.bucket) + ", substr(j.value, 13, 64), " + literal(b.table) + ", " + row_id +
         " FROM " + from + "json_tree(" + doc +
         ") AS j WHERE j.type = 'text' AND substr(j.value, 1, 12) = 'blob:sha256:' AND length(j.value) >= 76";
}

// A field of a Storage error body as text ("statusCode" is a string there).
std::string field_text(const json& body, const char* key) {
  if (!body.is_object()) return "";
  auto it = body.find(key);
  if (it == body.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

bool mentions_jwt(const std::string& message) {
  std::string lower;
  for (char c : message) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("jwt") != std::string::npos || lower.find("jws") != std::string::npos ||
         lower.find("\"exp\" claim") != std::string::npos;
}

}  // namespace

void Engine::install_blob_capture() {
  state_->blobs_table = table_exists(db_, "blobs");
  if (blob_columns_.empty()) return;
  bool any = false;
  for (const BlobColumn& b : blob_columns_) {
    if (!table_exists(db_, b.table)) continue;
    any = true;
    const std::string t = quoted(b.table), c = "NEW." + quoted(b.url_column);
    const std::string note =
        b.json ? " INSERT OR IGNORE INTO sync_blob_refs(bucket, hash, table_name, row_id) " + json_refs(b, c, "NEW.id") +
                     "; END;"
               : " INSERT OR IGNORE INTO sync_blob_refs(bucket, hash, table_name, row_id) VALUES (" +
                     literal(b.bucket) + ", substr(" + c + ", 13, 64), " + literal(b.table) + ", NEW.id); END;";
    const std::string when = b.json ? " WHEN cs_sync_capture() AND instr(" + c + ", 'blob:sha256:') > 0 BEGIN"
                                    : " WHEN cs_sync_capture() AND substr(" + c + ", 1, 12) = 'blob:sha256:' BEGIN";
    const std::string name = "sync_blob_" + b.table + "_" + b.url_column;
    std::string sql = "CREATE TRIGGER IF NOT EXISTS " + quoted(name + "_insert") + " AFTER INSERT ON " + t + when + note +
                      "CREATE TRIGGER IF NOT EXISTS " + quoted(name + "_update") + " AFTER UPDATE OF " +
                      quoted(b.url_column) + " ON " + t + when + note;
    db_.exec(sql.c_str());
  }
  // Rows written before these triggers existed (an older version of this
  // module), once per database.
  if (any && get_state("blob_refs_backfilled") != "1") {
    Transaction tx(db_);
    for (const BlobColumn& b : blob_columns_) {
      if (!table_exists(db_, b.table)) continue;
      const std::string c = quoted(b.url_column);
      std::string sql =
          b.json ? "INSERT OR IGNORE INTO sync_blob_refs(bucket, hash, table_name, row_id) " +
                       json_refs(b, "t." + c, "t.id", quoted(b.table) + " AS t, ")
                 : "INSERT OR IGNORE INTO sync_blob_refs(bucket, hash, table_name, row_id) SELECT " +
                       literal(b.bucket) + ", substr(" + c + ", 13, 64), " + literal(b.table) + ", id FROM " +
                       quoted(b.table) + " WHERE substr(" + c + ", 1, 12) = 'blob:sha256:'";
      db_.exec(sql.c_str());
    }
    set_state("blob_refs_backfilled", "1");
    tx.commit();
  }
}

bool Engine::blob_refs_live(const std::string& bucket, const std::string& hash) {
  // Rows deleted or re-pointed since they were noted no longer need the blob.
  struct Ref { std::int64_t seq; std::string table, id; };
  std::vector<Ref> refs;
  auto& q = db_.cached("SELECT seq, table_name, row_id FROM sync_blob_refs WHERE bucket = ? AND hash = ?");
  q.bind(1, std::string_view(bucket)).bind(2, std::string_view(hash));
  while (q.step()) refs.push_back({q.column_int(0), q.column_text(1), q.column_text(2)});
  q.reset();
  const std::string ref = blobs::ref(hash);
  bool live = false;
  for (const Ref& r : refs) {
    bool still = false;
    for (const BlobColumn& b : blob_columns_) {
      if (b.table != r.table || b.bucket != bucket || !table_exists(db_, b.table)) continue;
      // The row, or the last state of it a cascade left to push (sync_stash).
      auto& check = db_.cached("SELECT 1 FROM " + quoted(b.table) + " WHERE id = ?2 AND " +
                               references(b.url_column, true, b.json) +
                               " UNION ALL SELECT 1 FROM sync_stash WHERE table_name = ?3 AND row_id = ?2 AND " +
                               references("row ->> " + literal("$." + b.url_column), false, b.json));
      check.bind(1, std::string_view(ref)).bind(2, std::string_view(r.id)).bind(3, std::string_view(b.table));
      still = still || check.step();
      check.reset();
    }
    if (still) live = true;
    else db_.cached("DELETE FROM sync_blob_refs WHERE seq = ?").bind(1, r.seq).run();
  }
  return live;
}

std::int64_t Engine::rewrite_blob_refs(const std::string& bucket, const std::string& hash,
                                       const std::string& storage_path, const std::string& public_url) {
  struct Ref { std::string table, id; };
  std::vector<Ref> refs;
  auto& q = db_.cached("SELECT table_name, row_id FROM sync_blob_refs WHERE bucket = ? AND hash = ? ORDER BY seq");
  q.bind(1, std::string_view(bucket)).bind(2, std::string_view(hash));
  while (q.step()) refs.push_back({q.column_text(0), q.column_text(1)});
  q.reset();
  const std::string ref = blobs::ref(hash);
  std::int64_t rewritten = 0;
  for (const Ref& r : refs) {
    // A row with a change still to push carries the new values with it, at
    // that change's clock: the rewrite is part of the write that made the
    // reference, and a clock of its own would outrank writes other devices
    // made since (a delete of the row, say). A row already pushed with its
    // reference (its upload was refused before) gets the rewrite as a new,
    // captured change.
    auto& pending = db_.cached("SELECT 1 FROM sync_outbox WHERE table_name = ? AND row_id = ?");
    pending.bind(1, std::string_view(r.table)).bind(2, std::string_view(r.id));
    const bool carried = pending.step();
    pending.reset();
    std::optional<CaptureOff> off;
    if (carried) off.emplace(state_->capture);
    for (const BlobColumn& b : blob_columns_) {
      if (b.table != r.table || b.bucket != bucket || !table_exists(db_, b.table)) continue;
      if (b.json) {
        rewritten += rewrite_json_refs(b, r.id, ref, public_url);
        continue;
      }
      db_.cached("UPDATE " + quoted(b.table) + " SET " + quoted(b.url_column) + " = ?3, " + quoted(b.path_column) +
                 " = ?4 WHERE id = ?2 AND " + references(b.url_column))
          .bind(1, std::string_view(ref))
          .bind(2, std::string_view(r.id))
          .bind(3, std::string_view(public_url))
          .bind(4, std::string_view(storage_path))
          .run();
      rewritten += db_.changes();
      db_.cached("UPDATE sync_stash SET row = json_set(row, " + literal("$." + b.url_column) + ", ?3, " +
                 literal("$." + b.path_column) + ", ?4) WHERE table_name = ?5 AND row_id = ?2 AND " +
                 references("row ->> " + literal("$." + b.url_column), false))
          .bind(1, std::string_view(ref))
          .bind(2, std::string_view(r.id))
          .bind(3, std::string_view(public_url))
          .bind(4, std::string_view(storage_path))
          .bind(5, std::string_view(b.table))
          .run();
      rewritten += db_.changes();
    }
  }
  db_.cached("DELETE FROM sync_blob_refs WHERE bucket = ? AND hash = ?")
      .bind(1, std::string_view(bucket)).bind(2, std::string_view(hash)).run();
  return rewritten;
}

// Every reference in a JSON column becomes the public URL, its #label kept
// after it: the reference is plain ASCII that JSON never escapes, so a text
// replacement keeps the document valid. A stashed state of the row (a
// cascade's) gets the same.
std::int64_t Engine::rewrite_json_refs(const BlobColumn& b, const std::string& id, const std::string& ref,
                                       const std::string& public_url) {
  db_.cached("UPDATE " + quoted(b.table) + " SET " + quoted(b.url_column) + " = replace(" + quoted(b.url_column) +
             ", ?1, ?3) WHERE id = ?2 AND " + references(b.url_column, true, true))
      .bind(1, std::string_view(ref))
      .bind(2, std::string_view(id))
      .bind(3, std::string_view(public_url))
      .run();
  std::int64_t rewritten = db_.changes();
  db_.cached("UPDATE sync_stash SET row = replace(row, ?1, ?3) WHERE table_name = ?4 AND row_id = ?2 AND " +
             references("row ->> " + literal("$." + b.url_column), false, true))
      .bind(1, std::string_view(ref))
      .bind(2, std::string_view(id))
      .bind(3, std::string_view(public_url))
      .bind(4, std::string_view(b.table))
      .run();
  return rewritten + db_.changes();
}

void Engine::record_blob(const std::string& bucket, const std::string& hash, const char* state,
                         std::int64_t http, const std::string& error) {
  db_.cached("INSERT INTO sync_blobs(user_id, bucket, hash, state, attempts, last_status, last_error, updated_at) "
             "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7) ON CONFLICT(user_id, bucket, hash) DO UPDATE SET "
             "state = excluded.state, attempts = attempts + 1, last_status = excluded.last_status, "
             "last_error = excluded.last_error, updated_at = excluded.updated_at")
      .bind(1, std::string_view(get_state("user_id")))
      .bind(2, std::string_view(bucket))
      .bind(3, std::string_view(hash))
      .bind(4, std::string_view(state))
      .bind(5, http)
      .bind_json(6, error.empty() ? json() : json(error))
      .bind(7, std::string_view(clock::now_iso()))
      .run();
}

json Engine::build_upload() {
  if (blob_columns_.empty() || !state_->blobs_table || state_->options.storage_url.empty()) return nullptr;
  // Most requests find nothing to upload: no write transaction for them.
  auto& any = db_.cached("SELECT EXISTS (SELECT 1 FROM sync_blob_refs)");
  const bool noted = any.step() && any.column_int(0) != 0;
  any.reset();
  if (!noted) return nullptr;
  const std::string user = get_state("user_id");
  Transaction tx(db_);  // rewrites and pruning below commit together
  for (;;) {
    // The oldest noted blob that is not refused: acknowledged ones only need
    // their late rows rewritten; the others need local bytes to be sent.
    auto& q = db_.cached(
        "SELECT r.bucket, r.hash, s.state FROM sync_blob_refs r LEFT JOIN sync_blobs s "
        "ON s.user_id = ?1 AND s.bucket = r.bucket AND s.hash = r.hash "
        "WHERE (s.state IS NULL OR s.state <> 'rejected') "
        "AND (s.state = 'acknowledged' OR EXISTS (SELECT 1 FROM blobs b WHERE b.hash = r.hash)) "
        "ORDER BY r.seq LIMIT 1");
    q.bind(1, std::string_view(user));
    if (!q.step()) {
      q.reset();
      break;
    }
    const std::string bucket = q.column_text(0), hash = q.column_text(1);
    const std::string state = q.column_is_null(2) ? "" : q.column_text(2);
    q.reset();
    const std::string path = user + "/" + hash;
    const std::string public_url =
        state_->options.storage_url + kPublicPath + segment(bucket) + "/" + segment(user) + "/" + hash;
    // Each turn removes the refs it looked at, so this loop ends.
    if (state == "acknowledged") {
      rewrite_blob_refs(bucket, hash, path, public_url);
      continue;
    }
    if (!blob_refs_live(bucket, hash)) {
      db_.cached("DELETE FROM sync_blobs WHERE user_id = ? AND bucket = ? AND hash = ? AND state = 'pending'")
          .bind(1, std::string_view(user)).bind(2, std::string_view(bucket)).bind(3, std::string_view(hash)).run();
      continue;
    }
    auto& info = db_.cached("SELECT size, mime FROM blobs WHERE hash = ?");
    info.bind(1, std::string_view(hash));
    info.step();
    const std::int64_t size = info.column_int(0);
    std::string mime = info.column_is_null(1) ? "" : info.column_text(1);
    info.reset();
    if (mime.empty()) mime = "application/octet-stream";
    tx.commit();
    json request{{"kind", "upload"},
                 {"id", ++state_->request_seq},
                 {"method", "POST"},
                 {"path", std::string(kStoragePath) + segment(bucket) + "/" + segment(user) + "/" + hash},
                 // Never overwrite: an existing object at a content hash is these bytes.
                 {"headers", {{"content-type", mime}, {"x-upsert", "false"}, {"cache-control", "max-age=31536000"}}},
                 {"blob", {{"hash", hash}, {"bucket", bucket}, {"size", size}, {"mime", mime},
                           {"storagePath", path}, {"publicUrl", public_url}}}};
    state_->inflight = request;
    return request;
  }
  tx.commit();
  return nullptr;
}

json Engine::apply_upload(const json& request, std::int64_t http, const json& body) {
  const json& blob = request["blob"];
  const std::string& bucket = blob["bucket"].get_ref<const std::string&>();
  const std::string& hash = blob["hash"].get_ref<const std::string&>();
  // Supabase Storage answers most errors with HTTP 400 and the real status
  // in the body's statusCode (e.g. 400 {"statusCode":"409","error":"Duplicate"}).
  const std::string code = field_text(body, "statusCode"), error = field_text(body, "error");
  const std::string message = field_text(body, "message");
  const bool refused = http >= 400 && http < 500;
  const bool duplicate = refused && (http == 409 || code == "409" || error == "Duplicate");
  // A token Storage could not verify or found expired: 400/403 with
  // "InvalidJWT", or "Unauthorized" with a JWT message ("jwt expired",
  // "Invalid Compact JWS", "\"exp\" claim ..."). A fresh token may help.
  const bool auth = http == 401 || (refused && (code == "401" || error == "InvalidJWT" ||
                                                field_text(body, "code") == "InvalidJWT" || mentions_jwt(message)));
  const bool transient = http == 0 || http == 408 || http == 429 || http >= 500 || code == "408" || code == "429" ||
                         (code.size() == 3 && code[0] == '5');
  std::string reason = std::to_string(http);
  if (!code.empty() && code != reason) reason += " (" + code + ")";
  if (!error.empty()) reason += " " + error;
  if (!message.empty()) reason += ": " + message;

  if ((http >= 200 && http < 300) || duplicate) {
    Transaction tx(db_);
    record_blob(bucket, hash, "acknowledged", http, "");
    const std::int64_t rewritten = rewrite_blob_refs(bucket, hash, blob["storagePath"].get<std::string>(),
                                                     blob["publicUrl"].get<std::string>());
    tx.commit();
    return {{"ok", true}, {"kind", "upload"}, {"acknowledged", 1}, {"rejected", 0}, {"duplicate", duplicate},
            {"rewritten", rewritten}, {"bucket", bucket}, {"hash", hash},
            {"storagePath", blob["storagePath"]}, {"publicUrl", blob["publicUrl"]}, {"conflicts", json::array()}};
  }
  if (auth || transient) {
    record_blob(bucket, hash, "pending", http, reason);
    return {{"ok", false}, {"retry", auth ? "auth" : "backoff"}, {"status", http}};
  }
  record_blob(bucket, hash, "rejected", http, reason);
  return {{"ok", true}, {"kind", "upload"}, {"acknowledged", 0}, {"rejected", 1},
          {"rejection", {{"bucket", bucket}, {"hash", hash}, {"status", http}, {"error", error.empty() ? code : error},
                         {"message", message}}},
          {"conflicts", json::array()}};
}

json Engine::blobs(const json& args) {
  Args a(args);
  const std::string state = a.opt_string("state").value_or("");
  if (!state.empty() && state != "pending" && state != "acknowledged" && state != "rejected")
    a.fail("state", "must be 'pending', 'acknowledged' or 'rejected'");
  const std::int64_t limit = a.integer_or("limit", 100, 1, 1000);
  json out = json::array();
  if (!state_->blobs_table) return out;
  const std::string user = get_state("user_id");
  // Tried ones from sync_blobs, then referenced ones never tried (pending).
  Statement q(db_,
              "SELECT bucket, hash, state, attempts, last_status, last_error, updated_at FROM ("
              " SELECT bucket, hash, state, attempts, last_status, last_error, updated_at, 0 AS k FROM sync_blobs"
              " WHERE user_id = ?1 AND (?2 = '' OR state = ?2)"
              " UNION ALL"
              " SELECT DISTINCT r.bucket, r.hash, 'pending', 0, NULL, NULL, NULL, 1 FROM sync_blob_refs r"
              " WHERE ?2 IN ('', 'pending') AND EXISTS (SELECT 1 FROM blobs b WHERE b.hash = r.hash)"
              " AND NOT EXISTS (SELECT 1 FROM sync_blobs s WHERE s.user_id = ?1 AND s.bucket = r.bucket AND s.hash = r.hash)"
              ") ORDER BY k, updated_at DESC, hash LIMIT ?3");
  q.bind(1, std::string_view(user)).bind(2, std::string_view(state)).bind(3, limit);
  while (q.step()) {
    out.push_back({{"bucket", q.column_text(0)},
                   {"hash", q.column_text(1)},
                   {"state", q.column_text(2)},
                   {"attempts", q.column_int(3)},
                   {"lastStatus", q.column_json(4)},
                   {"lastError", q.column_json(5)},
                   {"storagePath", user + "/" + q.column_text(1)},
                   {"updatedAt", q.column_json(6)}});
  }
  return out;
}

json Engine::retry_blobs(const json& args) {
  Args a(args);
  const std::string hash = a.opt_string("hash").value_or("");
  db_.cached("UPDATE sync_blobs SET state = 'pending', updated_at = ?3 "
             "WHERE user_id = ?1 AND state = 'rejected' AND (?2 = '' OR hash = ?2)")
      .bind(1, std::string_view(get_state("user_id")))
      .bind(2, std::string_view(hash))
      .bind(3, std::string_view(clock::now_iso()))
      .run();
  return {{"retried", db_.changes()}};
}

}  // namespace cs::sync

CS_COLD_CODE_END
