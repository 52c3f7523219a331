// sync.*: the sans-I/O sync engine's steps, driven by js/sync/ (the fetch loop).
#include "blobs/blob_store.hpp"
#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "json/json_text.hpp"
#include "ops.hpp"

CS_COLD_CODE_BEGIN

namespace cs::ops {

json sync_configure(Session& s, const json& args) { return s.sync().configure(args); }
json sync_begin(Session& s, const json&) { return s.sync().begin(); }
json sync_next(Session& s, const json&) {
  json request = s.sync().next_request();
  if (request.value("kind", "") == "upload") {
    // The body of an upload is the blob's bytes: staged in the export slot,
    // where the op table's bytesOut has js/engine/bytes.js take them as a Uint8Array.
    const std::string& hash = request["blob"]["hash"].get_ref<const std::string&>();
    if (!blobs::stage(s.db(), hash, s.export_slot())) throw Error(Code::Internal, "blob " + hash + " vanished");
  }
  return request;
}
json sync_apply(Session& s, const json& args) { return s.sync().apply_response(args); }
json sync_status(Session& s, const json&) { return s.sync().status(); }
json sync_blobs(Session& s, const json& args) { return s.sync().blobs(args); }
json sync_retry_blobs(Session& s, const json& args) { return s.sync().retry_blobs(args); }

json sync_conflicts(Session& s, const json& args) {
  Args a(args);
  std::int64_t limit = a.integer_or("limit", 50, 1, 500);
  auto& q = s.db().cached(
      "SELECT seq, table_name, row_id, local, remote, winner, seen_at FROM sync_conflicts "
      "ORDER BY seq DESC LIMIT ?");
  q.bind(1, limit);
  json out = json::array();
  while (q.step()) {
    out.push_back({{"seq", q.column_int(0)},
                   {"table", q.column_text(1)},
                   {"id", q.column_text(2)},
                   {"local", json_text::parse_or_null(q.column_text_view(3))},
                   {"remote", json_text::parse_or_null(q.column_text_view(4))},
                   {"winner", q.column_text(5)},
                   {"seenAt", q.column_text(6)}});
  }
  q.reset();
  return out;
}

}  // namespace cs::ops

CS_COLD_CODE_END
