// The sync cycle: configure, begin, next request, apply response, status.
#include "engine_state.hpp"

#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "json/json_text.hpp"

CS_COLD_CODE_BEGIN

namespace cs::sync {

namespace {

// Deeper than this in an answer is deeper than a JSON column can hold here
// (SQLite's limit, 1000 levels) once inside {changes: [{row: {column: …}}]}.
constexpr int kMaxAnswerDepth = 1003;

// An answer's body: `text` as received, or `body` already parsed (tests).
// Text is parsed here rather than by the door, so that a JSON value nested
// too deep for this device costs only the change that holds it (marked
// __campaign_store_too_deep, see remote_row.cpp), not the whole page.
json parse_answer(const Args& a) {
  if (!a.has("text")) return a.raw("body");
  const json& value = a.raw("text");
  if (value.is_null()) return nullptr;
  if (!value.is_string()) a.fail("text", "must be the response body as text");
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty()) return nullptr;
  json out;
  switch (json_text::parse(text, out)) {
    case json_text::Parsed::Ok: return out;
    case json_text::Parsed::Invalid: return {{"raw", text.substr(0, 1000)}};
    case json_text::Parsed::TooDeep: break;
  }
  // What is too deep is left out without recursion, and the change (depth
  // 3: {changes: [{...}]}) that held it is marked.
  if (json_text::parse_pruned(text, out, kMaxAnswerDepth + 1, 3, "__campaign_store_too_deep") != json_text::Parsed::Ok)
    return {{"raw", text.substr(0, 1000)}};
  return out;
}

}  // namespace

Engine::Engine(Database& db, std::vector<TableSpec> tables, std::vector<BlobColumn> blobs)
    : db_(db), tables_(std::move(tables)), blob_columns_(std::move(blobs)) {}

const TableSpec* Engine::table(const std::string& name) const {
  for (const TableSpec& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

std::string Engine::get_state(const char* key, const std::string& fallback) {
  auto& q = db_.cached("SELECT value FROM sync_state WHERE key = ?");
  q.bind(1, std::string_view(key));
  std::string value = q.step() ? q.column_text(0) : fallback;
  q.reset();  // do not leave a read statement open between calls
  return value;
}

void Engine::set_state(const char* key, const std::string& value) {
  db_.cached("INSERT INTO sync_state(key, value) VALUES (?, ?) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, std::string_view(key))
      .bind(2, std::string_view(value))
      .run();
}

json Engine::configure(const json& args) {
  Args a(args);
  std::string user = a.string("userId");
  if (user.empty()) a.fail("userId", "must not be empty");
  state_->options.push_batch = static_cast<int>(a.integer_or("pushBatch", 200, 1, 1000));
  state_->options.pull_page = static_cast<int>(a.integer_or("pullPage", 500, 1, 5000));
  if (a.has("url")) {
    std::string url = a.string("url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      a.fail("url", "must be the Supabase project URL (http:// or https://)");
    while (!url.empty() && url.back() == '/') url.pop_back();
    state_->options.storage_url = url;
  }
  Transaction tx(db_);
  std::string owner = get_state("user_id");
  bool first_binding = owner.empty();
  if (!first_binding && owner != user)
    throw Error(Code::Unauthorized,
                "this database belongs to another user; open the database of user " + user,
                {{"field", "userId"}});
  std::int64_t enqueued = 0;
  if (first_binding) {
    set_state("user_id", user);
    // Rows written before sign-in (or by the legacy migration) were captured
    // already; this only adds rows that predate capture.
    enqueued = enqueue_all();
  }
  // Rows from the server reference their owner's row: it must exist here
  // before the first pull. Not captured: a blank row is no write of the
  // user's, and pushed with a new clock it would overwrite the profile
  // another device wrote. The first pull brings the real one.
  for (const TableSpec& t : tables_) {
    if (!t.owner_table || !table_exists(db_, t.name)) continue;
    CaptureOff off(state_->capture);
    db_.cached("INSERT INTO " + quoted(t.name) + "(id) VALUES (?) ON CONFLICT(id) DO NOTHING")
        .bind(1, std::string_view(user))
        .run();
  }
  tx.commit();
  return {{"userId", user}, {"clientId", state_->clock.node()}, {"enqueued", enqueued}};
}

json Engine::begin() {
  if (get_state("user_id").empty())
    throw Error(Code::Unauthorized, "sync is not configured: call sync.configure with a userId");
  state_->cycle_active = true;
  state_->push_done = false;
  state_->pull_done = false;
  state_->inflight = nullptr;
  state_->push_limit = 0;
  state_->identity_changes = 0;
  return status();
}

json Engine::next_request() {
  state_->inflight = nullptr;  // a new request supersedes one whose answer never came
  if (!state_->cycle_active) return {{"kind", "idle"}};
  if (!state_->push_done) {
    // Blobs first: a row is never pushed before the blob it references is
    // in Storage (or was refused there), so no device pulls a row whose
    // image it cannot fetch. Checked before every push batch, so a blob
    // written during the cycle still goes first.
    json upload = build_upload();
    if (!upload.is_null()) return upload;
    json push = build_push();
    if (!push.is_null()) return push;
    state_->push_done = true;
  }
  if (!state_->pull_done) return build_pull();
  state_->cycle_active = false;
  set_state("last_synced_at", std::to_string(wall_clock_ms()));
  return {{"kind", "idle"}};
}

json Engine::apply_response(const json& args) {
  Args a(args);
  std::int64_t id = a.integer("id");
  if (state_->inflight.is_null() || state_->inflight["id"] != id)
    throw Error(Code::Conflict, "response does not belong to the request in flight",
                {{"field", "id"}, {"id", id}});
  json request = std::move(state_->inflight);
  state_->inflight = nullptr;
  std::int64_t http = a.integer("status");
  const json body = parse_answer(a);
  if (request["kind"] == "upload") return apply_upload(request, http, body);
  if (request["kind"] == "push" &&
      (http == 413 || (http == 400 && body.is_object() && body.value("code", json()) == "PGRST102")))
    return refuse_push(request, http, body);
  if (http == 401) return {{"ok", false}, {"retry", "auth"}, {"status", http}};
  if (http == 0 || http == 408 || http == 429 || http >= 500)
    return {{"ok", false}, {"retry", "backoff"}, {"status", http}};
  if (http < 200 || http >= 300) {
    // The server understood and refused the whole request: retrying the same
    // bytes would fail the same way. End the cycle and report.
    state_->cycle_active = false;
    return {{"ok", false}, {"retry", "none"}, {"status", http}, {"error", body}};
  }
  json summary = request["kind"] == "push" ? apply_push(request, body) : apply_pull(request, body);
  summary["ok"] = true;
  return summary;
}

json Engine::status() {
  auto count = [&](const char* sql) {
    auto& q = db_.cached(sql);
    q.step();
    std::int64_t n = q.column_int(0);
    q.reset();
    return n;
  };
  std::string last = get_state("last_synced_at");
  std::string user = get_state("user_id");
  // Referenced local blobs not in Storage yet (never tried, or to retry).
  std::int64_t pending_blobs = 0;
  if (state_->blobs_table) {
    auto& q = db_.cached(
        "SELECT count(*) FROM (SELECT DISTINCT r.bucket, r.hash FROM sync_blob_refs r "
        "WHERE EXISTS (SELECT 1 FROM blobs b WHERE b.hash = r.hash) AND NOT EXISTS (SELECT 1 FROM sync_blobs s "
        "WHERE s.user_id = ?1 AND s.bucket = r.bucket AND s.hash = r.hash AND s.state <> 'pending'))");
    q.bind(1, std::string_view(user));
    q.step();
    pending_blobs = q.column_int(0);
    q.reset();
  }
  auto& blobs_rejected = db_.cached("SELECT count(*) FROM sync_blobs WHERE user_id = ?1 AND state = 'rejected'");
  blobs_rejected.bind(1, std::string_view(user));
  blobs_rejected.step();
  std::int64_t rejected_blobs = blobs_rejected.column_int(0);
  blobs_rejected.reset();
  return {
      {"userId", user.empty() ? json(nullptr) : json(user)},
      {"clientId", state_->clock.node()},
      {"pending", count("SELECT count(*) FROM (SELECT 1 FROM sync_outbox GROUP BY table_name, row_id)")},
      {"rejected", count("SELECT count(*) FROM sync_rejected")},
      {"conflicts", count("SELECT count(*) FROM sync_conflicts")},
      {"parked", count("SELECT count(*) FROM sync_parked")},
      {"blobsPending", pending_blobs},
      {"blobsRejected", rejected_blobs},
      {"cycleActive", state_->cycle_active},
      {"lastSyncedAt", last.empty() ? json(nullptr) : json(std::stoll(last))},
  };
}

void Engine::record_conflict(const std::string& table, const std::string& id, const json& local,
                             const json& remote, const char* winner) {
  db_.cached("INSERT INTO sync_conflicts(table_name, row_id, local, remote, winner) VALUES (?, ?, ?, ?, ?)")
      .bind(1, std::string_view(table))
      .bind(2, std::string_view(id))
      .bind(3, std::string_view(json_text::dump(local)))
      .bind(4, std::string_view(json_text::dump(remote)))
      .bind(5, std::string_view(winner))
      .run();
  // Keep the log bounded: the newest 500 decisions are plenty for the app.
  db_.cached("DELETE FROM sync_conflicts WHERE seq <= (SELECT max(seq) - 500 FROM sync_conflicts)").run();
}

json Engine::local_row_json(const TableSpec& t, const std::string& id) {
  auto& q = db_.cached(state_->select_sql.at(t.name));
  q.bind(1, std::string_view(id));
  if (!q.step()) return nullptr;
  json row = json::object();
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnSpec& c = t.columns[i];
    row[c.remote_name.empty() ? c.name : c.remote_name] = encode_column(q, static_cast<int>(i), c);
  }
  q.reset();
  return row;
}

}  // namespace cs::sync

CS_COLD_CODE_END
