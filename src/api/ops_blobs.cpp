// blobs.*: the content-addressed blob store (src/blobs/). Bytes never travel
// inside JSON: a blob to store arrives in the engine's import slot, a blob
// read leaves through its export slot (the op table's bytes_in and
// bytes_out; src/api/session.hpp).
#include "blobs/blob_store.hpp"
#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "vfs/transfer.hpp"
#include "ops.hpp"

#include <sqlite3.h>

#include <memory>

CS_COLD_CODE_BEGIN

namespace cs::ops {

json blobs_info(Session& session, const json& args) {
  Args a(args);
  auto info = blobs::info(session.db(), a.string("hash"));
  if (!info) return nullptr;
  return {{"hash", info->hash}, {"size", info->size}, {"mime", info->mime}};
}

json blobs_get(Session& session, const json& args) {
  Args a(args);
  auto info = blobs::stage(session.db(), a.string("hash"), session.export_slot());
  if (!info) throw Error(Code::NotFound, "no blob " + a.string("hash"), {{"field", "hash"}});
  return {{"hash", info->hash}, {"size", info->size}, {"mime", info->mime}};
}

json blobs_put(Session& session, const json& args) {
  Args a(args);
  std::size_t size = 0;
  std::unique_ptr<unsigned char, decltype(&sqlite3_free)> bytes(session.import_slot().take(&size), &sqlite3_free);
  if (!bytes) a.fail("bytes", "nothing staged: fill the import slot with the blob first");
  auto info = blobs::put(session.db(), bytes.get(), size, a.opt_string("mime").value_or(""));
  return {{"hash", info.hash}, {"size", info.size}, {"mime", info.mime}, {"ref", blobs::ref(info.hash)}};
}

}  // namespace cs::ops

CS_COLD_CODE_END
