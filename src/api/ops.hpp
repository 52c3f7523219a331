// Op handlers, declared here and listed once in op_table.cpp. Each group of
// ops lives in its own ops_<group>.cpp; handlers only adapt JSON arguments to
// the layer that does the work (db/, model/, legacy/, sync/).
#pragma once

#include "api/op_table.hpp"
#include "model/repos.hpp"

namespace cs::ops {

// ops_core.cpp: the engine itself and raw SQL
json ping(Session&, const json& args);
json version(Session&, const json& args);
json list_ops(Session&, const json& args);
json open(Session&, const json& args);
json close(Session&, const json& args);
json sql_query(Session&, const json& args);
json sql_exec(Session&, const json& args);
json batch(Session&, const json& args);

// ops_sync.cpp: the sans-I/O sync engine, driven by the JS fetch loop
json sync_configure(Session&, const json& args);
json sync_begin(Session&, const json& args);
json sync_next(Session&, const json& args);
json sync_apply(Session&, const json& args);
json sync_status(Session&, const json& args);
json sync_conflicts(Session&, const json& args);
json sync_blobs(Session&, const json& args);
json sync_retry_blobs(Session&, const json& args);

// ops_storage.cpp: persistent storage (the pool VFS over a storage host)
json open_pool(Session&, const json& args);  // `open` with storage 'pool'
json storage_info(Session&, const json& args);
json storage_export(Session&, const json& args);
json storage_import(Session&, const json& args);
json storage_delete(Session&, const json& args);
json storage_checkpoint(Session&, const json& args);
json storage_sync(Session&, const json& args);
json storage_last_error(Session&, const json& args);
json storage_self_test(Session&, const json& args);

// ---- data API -------------------------------------------------
// The repositories (model/repos.hpp) take the session's database and the
// arguments as they are: op_table.cpp names each one as on_database<...>.
template <json (*Repository)(Database&, const json&)>
json on_database(Session& session, const json& args) {
  return Repository(session.db(), args);
}
// ops_store.cpp: health (which answers without an open database too) and metrics
json health(Session&, const json& args);
json metrics(Session&, const json& args);
// ---- end of data API ----------------------------------------------------

// ---- legacy localStorage migration and blobs --------------------
// ops_legacy.cpp: src/legacy/ behind the dispatcher (the full module), or
// ops_legacy_absent.cpp: none of it (the lean module); legacy_linked says which.
bool legacy_linked();
json legacy_import(Session&, const json& args);
json legacy_report(Session&, const json& args);
json legacy_export(Session&, const json& args);
json legacy_get(Session&, const json& args);
json legacy_save_ad(Session&, const json& args);
json legacy_release(Session&, const json& args);
json legacy_delete_sample(Session&, const json& args);

// ops_blobs.cpp: the blob store (src/blobs/)
json blobs_info(Session&, const json& args);
json blobs_get(Session&, const json& args);
json blobs_put(Session&, const json& args);
// ---- end of legacy migration ----------------------------------------------

}  // namespace cs::ops
