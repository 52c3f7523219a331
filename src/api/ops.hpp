// Op handlers, declared here and listed once in op_table.cpp. Each group of
// ops lives in its own ops_<group>.cpp; handlers only adapt JSON arguments to
// the layer that does the work (db/, model/, legacy/, sync/).
#pragma once

#include "api/op_table.hpp"

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
// ops_products.cpp: products, images, background versions
json products_create(Session&, const json& args);
json products_get(Session&, const json& args);
json products_list(Session&, const json& args);
json products_update(Session&, const json& args);
json products_delete(Session&, const json& args);
json images_add(Session&, const json& args);
json images_list(Session&, const json& args);
json images_update(Session&, const json& args);
json images_set_primary(Session&, const json& args);
json images_delete(Session&, const json& args);
json backgrounds_add(Session&, const json& args);
json backgrounds_activate(Session&, const json& args);
json backgrounds_list(Session&, const json& args);
json backgrounds_delete(Session&, const json& args);
// ops_campaigns.cpp: campaigns, drafts, creatives, assets
json campaigns_create(Session&, const json& args);
json campaigns_get(Session&, const json& args);
json campaigns_list(Session&, const json& args);
json campaigns_update(Session&, const json& args);
json campaigns_delete(Session&, const json& args);
json campaigns_set_status(Session&, const json& args);
json drafts_save(Session&, const json& args);
json drafts_get(Session&, const json& args);
json drafts_delete(Session&, const json& args);
json drafts_cleanup(Session&, const json& args);
json creatives_create(Session&, const json& args);
json creatives_get(Session&, const json& args);
json creatives_list(Session&, const json& args);
json creatives_update(Session&, const json& args);
json creatives_delete(Session&, const json& args);
json assets_create(Session&, const json& args);
json assets_get(Session&, const json& args);
json assets_list(Session&, const json& args);
json assets_update(Session&, const json& args);
json assets_delete(Session&, const json& args);
// ops_accounts.cpp: users, platform integrations, publications, AI generations
json users_create(Session&, const json& args);
json users_get(Session&, const json& args);
json users_update(Session&, const json& args);
json users_delete(Session&, const json& args);
json integrations_create(Session&, const json& args);
json integrations_get(Session&, const json& args);
json integrations_list(Session&, const json& args);
json integrations_update(Session&, const json& args);
json integrations_delete(Session&, const json& args);
json publications_create(Session&, const json& args);
json publications_get(Session&, const json& args);
json publications_list(Session&, const json& args);
json publications_update(Session&, const json& args);
json publications_delete(Session&, const json& args);
json ai_create(Session&, const json& args);
json ai_get(Session&, const json& args);
json ai_list(Session&, const json& args);
json ai_update(Session&, const json& args);
json ai_delete(Session&, const json& args);
// ops_store.cpp: search, cache, health, metrics
json search_query(Session&, const json& args);
json cache_get(Session&, const json& args);
json cache_set(Session&, const json& args);
json cache_invalidate(Session&, const json& args);
json cache_purge(Session&, const json& args);
json health(Session&, const json& args);
json metrics(Session&, const json& args);
// ---- end of data API ----------------------------------------------------

// ---- legacy localStorage migration and blobs --------------------
// ops_legacy.cpp: src/legacy/ behind the dispatcher
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
