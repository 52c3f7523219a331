// Every op the core answers, with its argument shape, the store's method for
// it and its traits. This table is the protocol: `ops` serves it at run time,
// tools/gen-ops.mjs makes the store's methods and their types from it
// (js/client/methods.generated.js, js/ops.generated.d.ts), and the worker
// reads replay, storage release and bytes from it.
#include "ops.hpp"

namespace cs {

namespace {

// An op's traits, written around its entry: who may call it (internal), how
// it replays (rerun), whether it spends the storage host (releases_storage).
OpSpec internal(OpSpec op) {
  op.access = Access::Internal;
  return op;
}
OpSpec rerun(OpSpec op) {
  op.replay = Replay::Rerun;
  return op;
}
OpSpec releases_storage(OpSpec op) {
  op.releases_storage = true;
  return op;
}
// How its bytes travel (BytesIn, OpSpec::bytes_out) and who writes its method.
OpSpec stages(BytesIn in, OpSpec op) {
  op.bytes_in = in;
  return op;
}
OpSpec exports_bytes(std::string_view member, OpSpec op) {
  op.bytes_out = member;
  return op;
}
OpSpec facade(OpSpec op) {
  op.method_by = Method::Facade;
  return op;
}
// Which module has its code (OpSpec::legacy_code).
OpSpec legacy_code(OpSpec op) {
  op.legacy_code = true;
  return op;
}

}  // namespace

const std::vector<OpSpec>& op_table() {
  // JSON columns the caller sends whole, kept as the text they came in
  // (OpSpec::raw_members): what the builder autosaves on every change.
  static const std::vector<std::string_view> kCampaignJson = {"audienceConfig", "platformConfig", "creativeConfig",
                                                              "publishConfig", "legacyData"};
  static const std::vector<std::string_view> kCreativeJson = {"elements", "metadata"};
  static const std::vector<OpSpec> table = {
      // engine
      rerun({"ping", "{echo?: any}", "<T = undefined>(echo?: T) => {pong: true; echo?: T}", ops::ping, false}),
      rerun({"version", "{}", "() => VersionInfo", ops::version, false}),
      rerun({"ops", "{}", "() => OpDescription[]", ops::list_ops, false}),
      {"open",
       "{storage?: 'memory'|'pool', host?: integer, name?: string, journalMode?: 'wal'|'delete'|'truncate'|'persist', "
       "synchronous?: 'full'|'normal'|'extra'|'off', lockingMode?: 'exclusive'|'normal', journalSizeLimit?: integer, "
       "path?: string, vfs?: string}",
       "",
       ops::open, false},
      releases_storage({"close", "{}", "", ops::close, false}),
      // raw SQL, bound parameters only
      rerun({"sql.query", "{sql: string, params?: array|object}", "", ops::sql_query}),
      {"sql.exec", "{sql: string, params?: array|object}", "", ops::sql_exec},
      {"batch", "{ops: [{op: string, args?: object}]}", "", ops::batch},
      // sync (sans-I/O: the JS fetch loop carries the requests). A replayed
      // sync.next builds its request afresh; sync.apply must run outside any
      // transaction (a pull page is applied with foreign keys off, which a
      // transaction ignores), and an answer to a request this engine never
      // built is refused, so the loop asks again: both rerun.
      internal({"sync.configure", "{userId: string, url?: string (Supabase project URL: uploads blobs), pushBatch?: 1..1000, "
       "pullPage?: 1..5000}",
       "",
       ops::sync_configure}),
      internal({"sync.begin", "{}", "", ops::sync_begin}),
      internal(rerun(exports_bytes("body", {"sync.next",
       "{} -> {kind: upload|push|pull|idle, id, method, path, body} | upload: {headers, blob: {hash, bucket, size, "
       "mime, storagePath, publicUrl}} (bytes: the export slot)",
       "",
       ops::sync_next}))),
      internal(rerun({"sync.apply",
       "{id: integer, status: integer (0 = network error), text: string|null (the answer as received) | body: any}",
       "",
       ops::sync_apply})),
      // The engine's counts; store.sync's status() adds the loop's state
      // (SyncStatus) once sync is attached.
      rerun({"sync.status", "{}", "() => SyncEngineStatus", ops::sync_status}),
      rerun({"sync.conflicts", "{limit?: 1..500}",
       "(limit?: number) => Array<SyncConflict & {seq: number; seenAt: Timestamp}>", ops::sync_conflicts}),
      rerun({"sync.blobs",
       "{state?: 'pending'|'acknowledged'|'rejected', limit?: 1..1000 (100)} -> [{bucket, hash, state, attempts, "
       "lastStatus, lastError, storagePath, updatedAt}]",
       "(...options?: {state?: SyncBlob['state']; limit?: number}) => SyncBlob[]",
       ops::sync_blobs}),
      {"sync.retryBlobs", "{hash?} -> {retried} (rejected uploads become pending again)",
       "(hash?: string) => {retried: number}", ops::sync_retry_blobs},
      // storage (pool VFS over OPFS / Node / memory hosts); image bytes travel
      // through the engine's import and export slots, never in JSON. They
      // refuse to run inside a transaction, and running one again is harmless.
      rerun({"storage.info",
       "{} -> {open, kind, journalMode, synchronous, pool?: {files, free, used, damaged, bytes, sizesUnknown?}}",
       "() => StorageInfo",
       ops::storage_info, false}),
      rerun(exports_bytes("bytes", {"storage.export", "{} -> {bytes, pageSize, pageCount} (bytes: the export slot)",
                                    "() => {bytes: Uint8Array; pageSize: number; pageCount: number}",
                                    ops::storage_export})),
      rerun(stages(BytesIn::Member, {"storage.import",
       "{} (the file in the import slot) -> {bytes, schemaVersion}",
       "(bytes: Uint8Array | ArrayBuffer) => {bytes: number; schemaVersion: number}",
       ops::storage_import})),
      rerun(releases_storage({"storage.delete",
       "{} deletes the open pool database | {host: integer, name?: string, all?: boolean}",
       "() => JsonObject",
       ops::storage_delete, false})),
      rerun({"storage.checkpoint", "{mode?: 'passive'|'full'|'restart'|'truncate'}",
       "(...options?: {mode?: 'passive' | 'full' | 'restart' | 'truncate'}) => JsonObject", ops::storage_checkpoint}),
      rerun({"storage.sync", "{} -> {flushed} (flushes what commits wrote since the last flush)",
       "() => {flushed: number}", ops::storage_sync}),
      internal(rerun({"storage.lastError", "{} -> {message} (why the storage host last failed; cleared by reading)",
       "",
       ops::storage_last_error, false})),
      internal(rerun({"storage.selfTest", "{host: integer, largeOffsets?: boolean} -> {passed, failed, cases}",
       "",
       ops::storage_self_test, false})),
      // ---- data API: src/api/ops_{products,campaigns,accounts,store}.cpp
      // Types: id = 1..64 printable ASCII; uuid = id given on create;
      // money = number|string decimal, answered as "12.34"; json = object
      // (or its text); ts = ISO-8601 or epoch ms, answered "…T…Z". Lists take
      // {limit?: 1..500 (50), cursor?: string, sort?, order?: 'asc'|'desc'}
      // and answer {items, nextCursor}. Limits: src/model/limits.hpp.
      {"products.create",
       "{id?: uuid, userId?: id, name: string, description?, brand?, category?, price?: money, sku?, url?, "
       "utmCodes?: json, metadata?: json, settings?: json, status?: string ('active'), createdAt?: ts, "
       "images?: [{id?, url, storagePath?, fileName?, altText?, size?, isPrimary?, metadata?}]} -> product+images",
       "(...fields: ProductInput) => ProductDetail",
       ops::on_database<model::products::create>},
      rerun({"products.get", "{id} -> product + images[{..., backgrounds[]}] + campaigns[{id, name, status}]",
       "(id: Id) => ProductDetail",
       ops::on_database<model::products::get>}),
      rerun({"products.list",
       "{userId?, status?, category?, brand?, sort?: 'createdAt'|'updatedAt'|'name'|'price', order?: 'desc', limit?, "
       "cursor?}",
       "(...query?: ProductListQuery) => Page<Product>",
       ops::on_database<model::products::list>}),
      {"products.update", "{id, ...any products.create field but images/createdAt}",
       "(id: Id, ...patch: ProductPatch) => Product", ops::on_database<model::Plain<model::spec::products>::update>},
      {"products.delete", "{id} (images, backgrounds cascade; campaigns keep productId null)",
       "(id: Id) => Deleted",
       ops::on_database<model::Plain<model::spec::products>::remove>},
      {"images.add",
       "{productId, url, id?, storagePath?, fileName?, altText?, size?: 0.., isPrimary?: boolean, metadata?}",
       "(productId: Id, ...image: Omit<ProductImageInput, 'productId'>) => ProductImageWithBackgrounds",
       ops::on_database<model::images::add>},
      rerun({"images.list", "{productId, limit?, cursor?, order?: 'asc'}",
       "(productId: Id, ...query?: ListQuery<'createdAt'>) => Page<ProductImage>", ops::on_database<model::images::list>}),
      {"images.update", "{id, url?, storagePath?, fileName?, altText?, size?, metadata?}",
       "(id: Id, ...patch: ProductImagePatch) => ProductImage", ops::on_database<model::Plain<model::spec::product_images>::update>},
      {"images.setPrimary", "{imageId, productId?} (one primary image per product)",
       "(imageId: Id, productId?: Id) => ProductImage", ops::on_database<model::images::set_primary>},
      {"images.delete", "{id} -> {id, deleted, primaryImageId?}", "(id: Id) => ImageDeleted", ops::on_database<model::images::remove>},
      {"backgrounds.add",
       "{productImageId, url?, storagePath?, prompt?, requestId?, processingTime?: ms, metadata?, "
       "isActive?: boolean (true)}",
       "(productImageId: Id, ...background: BackgroundInput) => BackgroundVersion",
       ops::on_database<model::backgrounds::add>},
      {"backgrounds.activate", "{id} (one active version per image)",
       "(id: Id) => BackgroundVersion", ops::on_database<model::backgrounds::activate>},
      rerun({"backgrounds.list", "{productImageId, limit?, cursor?, order?: 'asc'}",
       "(productImageId: Id, ...query?: ListQuery<'createdAt'>) => Page<BackgroundVersion>", ops::on_database<model::backgrounds::list>}),
      {"backgrounds.delete", "{id} -> {id, deleted, activeId?}",
       "(id: Id) => Deleted & {activeId?: Id}", ops::on_database<model::backgrounds::remove>},
      {"campaigns.create",
       "{id?: uuid, userId?, productId?, name: string, type?, status?: 'draft'|'scheduled'|'active'|'paused'|"
       "'completed'|'archived' ('draft'), budget?: money, currency?: 3 letters ('USD'), startsAt?: ts, endsAt?: ts, "
       "launchedAt?: ts, audienceConfig?, platformConfig?, creativeConfig?, publishConfig?: json, legacyData?: "
       "object|array, source?: string ('v2'), createdAt?: ts}",
       "(...fields: CampaignInput) => CampaignDetail",
       ops::on_database<model::campaigns::create>, true, kCampaignJson},
      rerun({"campaigns.get", "{id} -> campaign + product|null + creatives[{..., assets[]}] + draft|null",
       "(id: Id) => CampaignDetail",
       ops::on_database<model::campaigns::get>}),
      rerun({"campaigns.list",
       "{userId?, status?, productId?, type?, source?, legacyId?: string|integer, sort?: 'createdAt'|'updatedAt'|"
       "'name'|'startsAt', order?: 'desc', limit?, cursor?}",
       "(...query?: CampaignListQuery) => Page<Campaign>",
       ops::on_database<model::campaigns::list>}),
      {"campaigns.update", "{id, ...campaigns.create fields but status/launchedAt/createdAt}",
       "(id: Id, ...patch: CampaignPatch) => Campaign", ops::on_database<model::campaigns::update>,
       true, kCampaignJson},
      {"campaigns.delete", "{id} (drafts, creatives, assets, publications cascade)",
       "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::campaigns>::remove>},
      {"campaigns.setStatus",
       "{id, status} draft->scheduled|active|archived, scheduled->draft|active|archived, "
       "active->paused|completed|archived, paused->active|completed|archived, completed->archived",
       "(id: Id, status: CampaignStatus) => Campaign",
       ops::on_database<model::campaigns::set_status>},
      {"drafts.save", "{campaignId, stepData: json, expiresAt?: ts (now + 7 days)} -> draft (upsert)",
       "(campaignId: Id, stepData: JsonObject, ...options?: {expiresAt?: Timestamp | number | null}) => CampaignDraft",
       ops::on_database<model::drafts::save>, true, {"stepData"}},
      rerun({"drafts.get", "{campaignId} -> latest unexpired draft | null",
       "(campaignId: Id) => CampaignDraft | null", ops::on_database<model::drafts::get>}),
      {"drafts.delete", "{campaignId} -> {removed}", "(campaignId: Id) => {removed: number}", ops::on_database<model::drafts::remove>},
      {"drafts.cleanup", "{} -> {removed} (expired drafts)", "() => {removed: number}", ops::on_database<model::drafts::cleanup>},
      {"creatives.create",
       "{campaignId, id?, name?, formatId?, formatName?, width?: 1..100000, height?, elements?: array, metadata?, "
       "isActive?: boolean (true), assets?: [{id?, type, url?, storagePath?, content?, styles?, position?, "
       "metadata?}]}",
       "(...fields: CreativeInput) => CreativeWithAssets",
       ops::on_database<model::creatives::create>, true, kCreativeJson},
      rerun({"creatives.get", "{id} -> creative + assets[]", "(id: Id) => CreativeWithAssets", ops::on_database<model::creatives::get>}),
      rerun({"creatives.list",
       "{campaignId, isActive?, formatId?, sort?: 'createdAt'|'updatedAt', order?: 'asc', limit?, cursor?}",
       "(campaignId: Id, ...query?: CreativeListQuery) => Page<Creative>",
       ops::on_database<model::creatives::list>}),
      {"creatives.update", "{id, expectedVersion?: integer, ...fields} (elements bump version)",
       "(id: Id, ...patch: CreativePatch) => Creative",
       ops::on_database<model::creatives::update>, true, kCreativeJson},
      {"creatives.delete", "{id} (assets cascade)", "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::creatives>::remove>},
      {"assets.create",
       "{creativeId, type: 'image'|'video'|'text'|'button', id?, url?, storagePath?, content?, styles?, position?, "
       "metadata?}",
       "(...fields: CreativeAssetInput) => CreativeAsset",
       ops::on_database<model::Plain<model::spec::creative_assets>::create>},
      rerun({"assets.get", "{id}", "(id: Id) => CreativeAsset", ops::on_database<model::Plain<model::spec::creative_assets>::get>}),
      rerun({"assets.list", "{creativeId, type?, sort?, order?: 'asc', limit?, cursor?}",
       "(creativeId: Id, ...query?: AssetListQuery) => Page<CreativeAsset>", ops::on_database<model::assets::list>}),
      {"assets.update", "{id, ...assets.create fields but creativeId}",
       "(id: Id, ...patch: CreativeAssetPatch) => CreativeAsset", ops::on_database<model::Plain<model::spec::creative_assets>::update>},
      {"assets.delete", "{id}", "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::creative_assets>::remove>},
      {"users.create", "{id?: uuid, email?: string (unique, case-insensitive), name?, avatarUrl?, settings?}",
       "(...fields?: UserInput) => User",
       ops::on_database<model::Plain<model::spec::users>::create>},
      rerun({"users.get", "{id}", "(id: Id) => User", ops::on_database<model::Plain<model::spec::users>::get>}),
      {"users.update", "{id, email?, name?, avatarUrl?, settings?}",
       "(id: Id, ...patch: UserPatch) => User", ops::on_database<model::Plain<model::spec::users>::update>},
      {"users.delete", "{id} (their products cascade)", "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::users>::remove>},
      {"integrations.create",
       "{platformId: 'meta'|'display'|'ctv'|'tiktok', id?, userId?, platformAccountId?, settings?, status? "
       "('active'), expiresAt?: ts} (no tokens: they stay on the server)",
       "(...fields: IntegrationInput) => PlatformIntegration",
       ops::on_database<model::integrations::create>},
      rerun({"integrations.get", "{id}", "(id: Id) => PlatformIntegration", ops::on_database<model::Plain<model::spec::platform_integrations>::get>}),
      rerun({"integrations.list", "{userId?, platformId?, status?, sort?, order?: 'desc', limit?, cursor?}",
       "(...query?: IntegrationListQuery) => Page<PlatformIntegration>",
       ops::on_database<model::integrations::list>}),
      {"integrations.update", "{id, ...integrations.create fields}",
       "(id: Id, ...patch: IntegrationPatch) => PlatformIntegration", ops::on_database<model::integrations::update>},
      {"integrations.delete", "{id} (publications keep platformIntegrationId null)",
       "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::platform_integrations>::remove>},
      {"publications.create",
       "{campaignId, id?, platformIntegrationId?, platformCampaignId?, status? ('pending'), metrics?, lastSyncAt?: ts}",
       "(...fields: PublicationInput) => CampaignPublication",
       ops::on_database<model::Plain<model::spec::campaign_publications>::create>},
      rerun({"publications.get", "{id}", "(id: Id) => CampaignPublication", ops::on_database<model::Plain<model::spec::campaign_publications>::get>}),
      rerun({"publications.list",
       "{campaignId?, platformIntegrationId?, status?, sort?, order?: 'desc', limit?, cursor?}",
       "(...query?: PublicationListQuery) => Page<CampaignPublication>",
       ops::on_database<model::publications::list>}),
      {"publications.update", "{id, platformIntegrationId?, platformCampaignId?, status?, metrics?, lastSyncAt?}",
       "(id: Id, ...patch: PublicationPatch) => CampaignPublication",
       ops::on_database<model::Plain<model::spec::campaign_publications>::update>},
      {"publications.delete", "{id}", "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::campaign_publications>::remove>},
      {"ai.create",
       "{type: 'background'|'copy'|'creative', id?, userId?, prompt?, service?: 'fal'|'openai'|'midjourney', "
       "requestId?, responseData?: object|array, processingTime?: ms, costCredits?: money (4 places)}",
       "(...fields: AiGenerationInput) => AiGeneration",
       ops::on_database<model::Plain<model::spec::ai_generations>::create>},
      rerun({"ai.get", "{id}", "(id: Id) => AiGeneration", ops::on_database<model::Plain<model::spec::ai_generations>::get>}),
      rerun({"ai.list", "{userId?, type?, service?, requestId?, sort?, order?: 'desc', limit?, cursor?}",
       "(...query?: AiGenerationListQuery) => Page<AiGeneration>", ops::on_database<model::ai::list>}),
      {"ai.update", "{id, ...ai.create fields}",
       "(id: Id, ...patch: AiGenerationPatch) => AiGeneration", ops::on_database<model::Plain<model::spec::ai_generations>::update>},
      {"ai.delete", "{id}", "(id: Id) => Deleted", ops::on_database<model::Plain<model::spec::ai_generations>::remove>},
      rerun({"search.query",
       "{q: string (<=256 chars), userId?, kinds?: ['product'|'campaign'], limit?: 1..100 (20)} -> "
       "{items: [{kind, id, name, status, brand?, score, snippet}]}",
       "(q: string, ...options?: SearchOptions) => {items: SearchHit[]}",
       ops::on_database<model::search::query>}),
      rerun({"cache.get", "{key: string} -> {hit, key, value?, expiresAt?}",
       "<T extends JsonValue = JsonValue>(key: string) => CacheEntry<T>", ops::on_database<model::cache::get>}),
      {"cache.set", "{key: string (<=512 bytes), value: any JSON (<=1 MiB), ttlMs?: 1..31536000000}",
       "(key: string, value: JsonValue, ...options?: {ttlMs?: number}) => {key: string; expiresAt: Timestamp | null}",
       ops::on_database<model::cache::set>},
      {"cache.invalidate", "{pattern?: glob ('scrape:*'), key?: string} (neither: all) -> {removed}",
       "(...selector?: {pattern?: string; key?: string}) => {removed: number}",
       ops::on_database<model::cache::invalidate>},
      {"cache.purge", "{} -> {removed} (expired entries)", "() => {removed: number}", ops::on_database<model::cache::purge>},
      rerun({"health", "{} -> {ok, open, quickCheck, foreignKeyViolations, schemaVersion}",
       "() => Health", ops::health, false}),
      rerun({"metrics", "{} -> {tables: {name: rows}, bytes, pageSize, pageCount, freelistCount, schemaVersion}",
       "() => Metrics",
       ops::metrics}),
      // ---- end of data API
      // ---- legacy localStorage migration and blobs: src/api/ops_legacy.cpp, src/legacy/
      // Values are what localStorage.getItem returned: {key, value} inline, or
      // {key, bytes} with the UTF-8 bytes staged in the import slot in order
      // (js/engine/bytes.js does this). Blob bytes leave through the export slot.
      // The legacy.* ops are internal: the store's migration, blobs and
      // legacy facade (js/legacy/client.js) are their public face.
      legacy_code(internal(stages(BytesIn::Entries, {"legacy.import",
       "{entries: [{key, value: string} | {key, bytes: integer}], otherKeys?: [string | {key, units}], "
       "timeZone?: {transitions: [[utcMs, offsetMinutes]]} | {offsetMinutes}, final?: boolean (true), runId?: integer, "
       "stopAfterGroups?: integer, incremental?: boolean (true)} -> report (final) | {runId, groups, remaining, done}",
       "",
       ops::legacy_import}))),
      legacy_code(internal({"legacy.report", "{} -> the last migration report, validated against the database now",
       "", ops::legacy_report})),
      legacy_code(internal({"legacy.export",
       "{keys?: [string], inlineImages?: boolean, acknowledge?: boolean} -> {entries: [{key, value}], units}",
       "",
       ops::legacy_export})),
      legacy_code(internal(rerun({"legacy.get", "{entity: 'products'|'campaigns'|'saved_campaigns', id: legacy id | row id, inlineImages?} -> "
       "{rowId, value: JSON text} | null",
       "",
       ops::legacy_get}))),
      legacy_code(internal({"legacy.saveAd", "{adData: object, timeZone?} -> {rowId, value: JSON text of the legacy campaign}",
       "",
       ops::legacy_save_ad})),
      legacy_code(internal(stages(BytesIn::Entries, {"legacy.release", "{entries: [{key, value} | {key, bytes}], includeUnmigrated?: boolean} (current values) -> "
       "{release: [key], keep: [{key, code, reason}], units}",
       "",
       ops::legacy_release}))),
      legacy_code(internal({"legacy.deleteSample", "{} -> {products, campaigns} (rows that came from sample_data)",
       "", ops::legacy_delete_sample})),
      // store.blobs (js/legacy/client.js) takes a hash or any reference and
      // answers blobs.get with the bytes alone.
      rerun(facade({"blobs.info", "{hash: sha256 hex | 'blob:sha256:<hex>#label'} -> {hash, size, mime} | null",
                    "(ref: string) => BlobInfo | null", ops::blobs_info})),
      rerun(facade(exports_bytes("bytes", {"blobs.get", "{hash} -> {hash, size, mime} (bytes: the export slot)",
                                           "(ref: string) => Uint8Array", ops::blobs_get}))),
      facade(stages(BytesIn::Member,
                    {"blobs.put", "{mime?} (the bytes in the import slot) -> {hash, size, mime, ref}",
                     "(bytes: Uint8Array | ArrayBuffer, mime?: string) => BlobInfo & {ref: string}", ops::blobs_put})),
      // ---- end of legacy migration
  };
  return table;
}

}  // namespace cs
