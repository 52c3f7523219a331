// Every op the core answers, with its argument shape. This table is the
// protocol: the JS client's typed methods and the README's API section are
// checked against it (`ops` returns it at run time).
#include "ops.hpp"

namespace cs {

const std::vector<OpSpec>& op_table() {
  // JSON columns the caller sends whole, kept as the text they came in
  // (OpSpec::raw_members): what the builder autosaves on every change.
  static const std::vector<std::string_view> kCampaignJson = {"audienceConfig", "platformConfig", "creativeConfig",
                                                              "publishConfig", "legacyData"};
  static const std::vector<std::string_view> kCreativeJson = {"elements", "metadata"};
  static const std::vector<OpSpec> table = {
      // engine
      {"ping", "{echo?: any}", ops::ping, false},
      {"version", "{}", ops::version, false},
      {"ops", "{}", ops::list_ops, false},
      {"open",
       "{storage?: 'memory'|'pool', host?: integer, name?: string, journalMode?: 'wal'|'delete'|'truncate'|'persist', "
       "synchronous?: 'full'|'normal'|'extra'|'off', lockingMode?: 'exclusive'|'normal', journalSizeLimit?: integer, "
       "path?: string, vfs?: string}",
       ops::open, false},
      {"close", "{}", ops::close, false},
      // raw SQL, bound parameters only
      {"sql.query", "{sql: string, params?: array|object}", ops::sql_query},
      {"sql.exec", "{sql: string, params?: array|object}", ops::sql_exec},
      {"batch", "{ops: [{op: string, args?: object}]}", ops::batch},
      // sync (sans-I/O: the JS fetch loop carries the requests)
      {"sync.configure", "{userId: string, url?: string (Supabase project URL: uploads blobs), pushBatch?: 1..1000, "
       "pullPage?: 1..5000}",
       ops::sync_configure},
      {"sync.begin", "{}", ops::sync_begin},
      {"sync.next",
       "{} -> {kind: upload|push|pull|idle, id, method, path, body} | upload: {headers, blob: {hash, bucket, size, "
       "mime, storagePath, publicUrl}} (bytes: storageExportView())",
       ops::sync_next},
      {"sync.apply", "{id: integer, status: integer (0 = network error), text: string|null (the answer as received) | body: any}",
       ops::sync_apply},
      {"sync.status", "{}", ops::sync_status},
      {"sync.conflicts", "{limit?: 1..500}", ops::sync_conflicts},
      {"sync.blobs",
       "{state?: 'pending'|'acknowledged'|'rejected', limit?: 1..1000 (100)} -> [{bucket, hash, state, attempts, "
       "lastStatus, lastError, storagePath, updatedAt}]",
       ops::sync_blobs},
      {"sync.retryBlobs", "{hash?} -> {retried} (rejected uploads become pending again)", ops::sync_retry_blobs},
      // storage (pool VFS over OPFS / Node / memory hosts); image bytes travel
      // through storageExportView/storageImportBuffer, never in JSON
      {"storage.info", "{} -> {open, kind, journalMode, synchronous, pool?: {files, free, used, damaged, bytes}}",
       ops::storage_info, false},
      {"storage.export", "{} -> {bytes, pageSize, pageCount} (then storageExportView())", ops::storage_export},
      {"storage.import", "{} (after storageImportBuffer(n) was filled) -> {bytes, schemaVersion}",
       ops::storage_import},
      {"storage.delete", "{} deletes the open pool database | {host: integer, name?: string, all?: boolean}",
       ops::storage_delete, false},
      {"storage.checkpoint", "{mode?: 'passive'|'full'|'restart'|'truncate'}", ops::storage_checkpoint},
      {"storage.sync", "{} -> {flushed} (flushes what commits wrote since the last flush)", ops::storage_sync},
      {"storage.lastError", "{} -> {message} (why the storage host last failed; cleared by reading)",
       ops::storage_last_error, false},
      {"storage.selfTest", "{host: integer, largeOffsets?: boolean} -> {passed, failed, cases}",
       ops::storage_self_test, false},
      // ---- data API: src/api/ops_{products,campaigns,accounts,store}.cpp
      // Types: id = 1..64 printable ASCII; uuid = id given on create;
      // money = number|string decimal, answered as "12.34"; json = object
      // (or its text); ts = ISO-8601 or epoch ms, answered "…T…Z". Lists take
      // {limit?: 1..500 (50), cursor?: string, sort?, order?: 'asc'|'desc'}
      // and answer {items, nextCursor}. Limits: include/campaign_store/limits.hpp.
      {"products.create",
       "{id?: uuid, userId?: id, name: string, description?, brand?, category?, price?: money, sku?, url?, "
       "utmCodes?: json, metadata?: json, settings?: json, status?: string ('active'), createdAt?: ts, "
       "images?: [{id?, url, storagePath?, fileName?, altText?, size?, isPrimary?, metadata?}]} -> product+images",
       ops::products_create},
      {"products.get", "{id} -> product + images[{..., backgrounds[]}] + campaigns[{id, name, status}]",
       ops::products_get},
      {"products.list",
       "{userId?, status?, category?, brand?, sort?: 'createdAt'|'updatedAt'|'name'|'price', order?: 'desc', limit?, "
       "cursor?}",
       ops::products_list},
      {"products.update", "{id, ...any products.create field but images/createdAt}", ops::products_update},
      {"products.delete", "{id} (images, backgrounds cascade; campaigns keep productId null)",
       ops::products_delete},
      {"images.add",
       "{productId, url, id?, storagePath?, fileName?, altText?, size?: 0.., isPrimary?: boolean, metadata?}",
       ops::images_add},
      {"images.list", "{productId, limit?, cursor?, order?: 'asc'}", ops::images_list},
      {"images.update", "{id, url?, storagePath?, fileName?, altText?, size?, metadata?}", ops::images_update},
      {"images.setPrimary", "{imageId, productId?} (one primary image per product)", ops::images_set_primary},
      {"images.delete", "{id} -> {id, deleted, primaryImageId?}", ops::images_delete},
      {"backgrounds.add",
       "{productImageId, url?, storagePath?, prompt?, requestId?, processingTime?: ms, metadata?, "
       "isActive?: boolean (true)}",
       ops::backgrounds_add},
      {"backgrounds.activate", "{id} (one active version per image)", ops::backgrounds_activate},
      {"backgrounds.list", "{productImageId, limit?, cursor?, order?: 'asc'}", ops::backgrounds_list},
      {"backgrounds.delete", "{id} -> {id, deleted, activeId?}", ops::backgrounds_delete},
      {"campaigns.create",
       "{id?: uuid, userId?, productId?, name: string, type?, status?: 'draft'|'scheduled'|'active'|'paused'|"
       "'completed'|'archived' ('draft'), budget?: money, currency?: 3 letters ('USD'), startsAt?: ts, endsAt?: ts, "
       "launchedAt?: ts, audienceConfig?, platformConfig?, creativeConfig?, publishConfig?: json, legacyData?: "
       "object|array, source?: string ('v2'), createdAt?: ts}",
       ops::campaigns_create, true, kCampaignJson},
      {"campaigns.get", "{id} -> campaign + product|null + creatives[{..., assets[]}] + draft|null",
       ops::campaigns_get},
      {"campaigns.list",
       "{userId?, status?, productId?, type?, source?, legacyId?: string|integer, sort?: 'createdAt'|'updatedAt'|"
       "'name'|'startsAt', order?: 'desc', limit?, cursor?}",
       ops::campaigns_list},
      {"campaigns.update", "{id, ...campaigns.create fields but status/launchedAt/createdAt}", ops::campaigns_update,
       true, kCampaignJson},
      {"campaigns.delete", "{id} (drafts, creatives, assets, publications cascade)", ops::campaigns_delete},
      {"campaigns.setStatus",
       "{id, status} draft->scheduled|active|archived, scheduled->draft|active|archived, "
       "active->paused|completed|archived, paused->active|completed|archived, completed->archived",
       ops::campaigns_set_status},
      {"drafts.save", "{campaignId, stepData: json, expiresAt?: ts (now + 7 days)} -> draft (upsert)",
       ops::drafts_save, true, {"stepData"}},
      {"drafts.get", "{campaignId} -> latest unexpired draft | null", ops::drafts_get},
      {"drafts.delete", "{campaignId} -> {removed}", ops::drafts_delete},
      {"drafts.cleanup", "{} -> {removed} (expired drafts)", ops::drafts_cleanup},
      {"creatives.create",
       "{campaignId, id?, name?, formatId?, formatName?, width?: 1..100000, height?, elements?: array, metadata?, "
       "isActive?: boolean (true), assets?: [{id?, type, url?, storagePath?, content?, styles?, position?, "
       "metadata?}]}",
       ops::creatives_create, true, kCreativeJson},
      {"creatives.get", "{id} -> creative + assets[]", ops::creatives_get},
      {"creatives.list", "{campaignId, isActive?, formatId?, sort?: 'createdAt'|'updatedAt', order?: 'asc', limit?, cursor?}",
       ops::creatives_list},
      {"creatives.update", "{id, expectedVersion?: integer, ...fields} (elements bump version)",
       ops::creatives_update, true, kCreativeJson},
      {"creatives.delete", "{id}", ops::creatives_delete},
      {"assets.create",
       "{creativeId, type: 'image'|'video'|'text'|'button', id?, url?, storagePath?, content?, styles?, position?, "
       "metadata?}",
       ops::assets_create},
      {"assets.get", "{id}", ops::assets_get},
      {"assets.list", "{creativeId, type?, sort?, order?: 'asc', limit?, cursor?}", ops::assets_list},
      {"assets.update", "{id, ...assets.create fields but creativeId}", ops::assets_update},
      {"assets.delete", "{id}", ops::assets_delete},
      {"users.create", "{id?: uuid, email?: string (unique, case-insensitive), name?, avatarUrl?, settings?}",
       ops::users_create},
      {"users.get", "{id}", ops::users_get},
      {"users.update", "{id, email?, name?, avatarUrl?, settings?}", ops::users_update},
      {"users.delete", "{id} (their products cascade)", ops::users_delete},
      {"integrations.create",
       "{platformId: 'meta'|'display'|'ctv'|'tiktok', id?, userId?, platformAccountId?, settings?, status? "
       "('active'), expiresAt?: ts} (no tokens: they stay on the server)",
       ops::integrations_create},
      {"integrations.get", "{id}", ops::integrations_get},
      {"integrations.list", "{userId?, platformId?, status?, sort?, order?: 'desc', limit?, cursor?}",
       ops::integrations_list},
      {"integrations.update", "{id, ...integrations.create fields}", ops::integrations_update},
      {"integrations.delete", "{id} (publications keep platformIntegrationId null)", ops::integrations_delete},
      {"publications.create",
       "{campaignId, id?, platformIntegrationId?, platformCampaignId?, status? ('pending'), metrics?, lastSyncAt?: ts}",
       ops::publications_create},
      {"publications.get", "{id}", ops::publications_get},
      {"publications.list", "{campaignId?, platformIntegrationId?, status?, sort?, order?: 'desc', limit?, cursor?}",
       ops::publications_list},
      {"publications.update", "{id, platformIntegrationId?, platformCampaignId?, status?, metrics?, lastSyncAt?}",
       ops::publications_update},
      {"publications.delete", "{id}", ops::publications_delete},
      {"ai.create",
       "{type: 'background'|'copy'|'creative', id?, userId?, prompt?, service?: 'fal'|'openai'|'midjourney', "
       "requestId?, responseData?: object|array, processingTime?: ms, costCredits?: money (4 places)}",
       ops::ai_create},
      {"ai.get", "{id}", ops::ai_get},
      {"ai.list", "{userId?, type?, service?, requestId?, sort?, order?: 'desc', limit?, cursor?}", ops::ai_list},
      {"ai.update", "{id, ...ai.create fields}", ops::ai_update},
      {"ai.delete", "{id}", ops::ai_delete},
      {"search.query",
       "{q: string (<=256 chars), userId?, kinds?: ['product'|'campaign'], limit?: 1..100 (20)} -> "
       "{items: [{kind, id, name, status, brand?, score, snippet}]}",
       ops::search_query},
      {"cache.get", "{key: string} -> {hit, key, value?, expiresAt?}", ops::cache_get},
      {"cache.set", "{key: string (<=512 bytes), value: any JSON (<=1 MiB), ttlMs?: 1..31536000000}",
       ops::cache_set},
      {"cache.invalidate", "{pattern?: glob ('scrape:*'), key?: string} (neither: all) -> {removed}",
       ops::cache_invalidate},
      {"cache.purge", "{} -> {removed} (expired entries)", ops::cache_purge},
      {"health", "{} -> {ok, open, quickCheck, foreignKeyViolations, schemaVersion}", ops::health, false},
      {"metrics", "{} -> {tables: {name: rows}, bytes, pageSize, pageCount, freelistCount, schemaVersion}",
       ops::metrics},
      // ---- end of data API
      // ---- legacy localStorage migration and blobs: src/api/ops_legacy.cpp, src/legacy/
      // Values are what localStorage.getItem returned: {key, value} inline, or
      // {key, bytes} with the UTF-8 bytes staged in storageImportBuffer(sum) in
      // order (js/legacy/ does this). Blob bytes leave through storageExportView().
      {"legacy.import",
       "{entries: [{key, value: string} | {key, bytes: integer}], otherKeys?: [string | {key, units}], "
       "timeZone?: {transitions: [[utcMs, offsetMinutes]]} | {offsetMinutes}, final?: boolean (true), runId?: integer, "
       "stopAfterGroups?: integer, incremental?: boolean (true)} -> report (final) | {runId, groups, remaining, done}",
       ops::legacy_import},
      {"legacy.report", "{} -> the last migration report, validated against the database now", ops::legacy_report},
      {"legacy.export", "{keys?: [string], inlineImages?: boolean, acknowledge?: boolean} -> {entries: [{key, value}], units}",
       ops::legacy_export},
      {"legacy.get", "{entity: 'products'|'campaigns'|'saved_campaigns', id: legacy id | row id, inlineImages?} -> "
       "{rowId, value: JSON text} | null",
       ops::legacy_get},
      {"legacy.saveAd", "{adData: object, timeZone?} -> {rowId, value: JSON text of the legacy campaign}",
       ops::legacy_save_ad},
      {"legacy.release", "{entries: [{key, value} | {key, bytes}], includeUnmigrated?: boolean} (current values) -> "
       "{release: [key], keep: [{key, code, reason}], units}",
       ops::legacy_release},
      {"legacy.deleteSample", "{} -> {products, campaigns} (rows that came from sample_data)", ops::legacy_delete_sample},
      {"blobs.info", "{hash: sha256 hex | 'blob:sha256:<hex>#label'} -> {hash, size, mime} | null", ops::blobs_info},
      {"blobs.get", "{hash} -> {hash, size, mime} (bytes: storageExportView())", ops::blobs_get},
      {"blobs.put", "{mime?} (after storageImportBuffer(n) was filled) -> {hash, size, mime, ref}", ops::blobs_put},
      // ---- end of legacy migration
  };
  return table;
}

}  // namespace cs
