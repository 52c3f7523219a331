// Types of campaign-store (js/index.js). The entity shapes follow the
// tables of the core (src/model/tables.cpp). The store's methods are
// generated from the op table (ops.generated.d.ts, tools/gen-ops.mjs), whose
// signatures name the types declared here.

export { CampaignStoreError, ERROR_CODES, ErrorCode } from './core.js';
import { CampaignStoreError } from './core.js';
// ---- legacy migration
import type { BlobMethods, LegacyFacade, MigrationMethods, MigrationOpenOptions } from './legacy/index.js';

// ------------------------------------------------------------------ values

/** Row ids are strings (UUIDs made by the store unless the caller gives one). */
export type Id = string;
/** ISO 8601 timestamps, UTC, as answered ("…T…Z"); inputs may also be epoch ms. */
export type Timestamp = string;
/** Money is answered as a decimal string ("12.34"); inputs may be numbers or strings. */
export type Money = string;
type MoneyInput = number | string;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/**
 * A value SQLite answers (README "Values"): NULL as null, INTEGER as a number
 * (beyond 2^53 - 1: a bigint, or a string or number as `int64` asks), REAL as
 * a number (-0 and +-Infinity included), TEXT as a string, BLOB as a Uint8Array.
 */
export type SqlValue = null | number | bigint | string | Uint8Array;
/**
 * A value a parameter binds: null/undefined (NULL), booleans (0/1), numbers
 * (INTEGER when whole and in 64-bit range, else REAL; -0 as REAL; no NaN or
 * Infinity), bigints (INTEGER), strings (well-formed UTF-16), bytes (BLOB),
 * Dates (their toJSON text), objects and arrays (their JSON text).
 */
export type SqlParam =
  | null | undefined | boolean | number | bigint | string
  | Uint8Array | ArrayBuffer | ArrayBufferView | Date
  | { [key: string]: unknown } | unknown[];
export type SqlParams = SqlParam[] | Record<string, SqlParam>;
/** How integers beyond 2^53 - 1 (Number.MAX_SAFE_INTEGER) are answered. */
export type Int64Mode = 'bigint' | 'string' | 'number';
export interface CallOptions {
  /** Default: the store's `int64` ('bigint'). */
  int64?: Int64Mode;
}

interface RowBase {
  id: Id;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One page of a list; pass nextCursor back (same filters) for the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListQuery<Sort extends string = string> {
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string | null;
  sort?: Sort;
  order?: 'asc' | 'desc';
}

export interface Deleted {
  id: Id;
  deleted: true;
}

// ------------------------------------------------------------------ entities

export interface Product extends RowBase {
  userId: Id | null;
  name: string;
  description: string | null;
  brand: string | null;
  category: string | null;
  /** In currency units, 2 decimals. */
  price: Money | null;
  sku: string | null;
  url: string | null;
  utmCodes: JsonObject;
  metadata: JsonObject;
  settings: JsonObject;
  status: string;
}

export interface ProductImage extends RowBase {
  productId: Id;
  url: string;
  storagePath: string | null;
  fileName: string | null;
  altText: string | null;
  size: number | null;
  isPrimary: boolean;
  metadata: JsonObject;
}

export interface BackgroundVersion extends RowBase {
  productImageId: Id;
  url: string | null;
  storagePath: string | null;
  prompt: string | null;
  requestId: string | null;
  processingTime: number | null;
  metadata: JsonObject;
  isActive: boolean;
}

export interface ProductImageWithBackgrounds extends ProductImage {
  backgrounds: BackgroundVersion[];
}

/** products.get: the product with its images (and their backgrounds) and the campaigns using it. */
export interface ProductDetail extends Product {
  images: ProductImageWithBackgrounds[];
  campaigns: Array<Pick<Campaign, 'id' | 'name' | 'status'>>;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'active' | 'paused' | 'completed' | 'archived';

export interface Campaign extends RowBase {
  userId: Id | null;
  productId: Id | null;
  name: string;
  type: string | null;
  status: CampaignStatus;
  budget: Money | null;
  /** ISO 4217, default 'USD'. */
  currency: string;
  startsAt: Timestamp | null;
  endsAt: Timestamp | null;
  launchedAt: Timestamp | null;
  audienceConfig: JsonObject;
  platformConfig: JsonObject;
  creativeConfig: JsonObject;
  publishConfig: JsonObject;
  /** The legacy localStorage record, kept whole by the migration. */
  legacyData: JsonValue | null;
  source: string;
}

/** campaigns.get: the campaign with its product, creatives (with assets) and latest draft. */
export interface CampaignDetail extends Campaign {
  product: Product | null;
  creatives: CreativeWithAssets[];
  draft: CampaignDraft | null;
}

export interface CampaignDraft extends RowBase {
  campaignId: Id;
  stepData: JsonObject;
  autoSavedAt: Timestamp;
  expiresAt: Timestamp | null;
}

export interface Creative extends RowBase {
  campaignId: Id;
  name: string | null;
  formatId: string | null;
  formatName: string | null;
  width: number | null;
  height: number | null;
  elements: JsonValue[];
  metadata: JsonObject;
  version: number;
  isActive: boolean;
}

export interface CreativeAsset extends RowBase {
  creativeId: Id;
  type: 'image' | 'video' | 'text' | 'button';
  url: string | null;
  storagePath: string | null;
  content: string | null;
  styles: JsonObject;
  position: JsonObject;
  metadata: JsonObject;
}

export interface CreativeWithAssets extends Creative {
  assets: CreativeAsset[];
}

export interface PlatformIntegration extends RowBase {
  userId: Id | null;
  platformId: 'meta' | 'display' | 'ctv' | 'tiktok';
  platformAccountId: string | null;
  settings: JsonObject;
  status: string;
  expiresAt: Timestamp | null;
}

export interface CampaignPublication extends RowBase {
  campaignId: Id;
  platformIntegrationId: Id | null;
  platformCampaignId: string | null;
  status: string;
  metrics: JsonObject;
  lastSyncAt: Timestamp | null;
}

export interface AiGeneration extends RowBase {
  userId: Id | null;
  type: 'background' | 'copy' | 'creative';
  prompt: string | null;
  service: 'fal' | 'openai' | 'midjourney' | null;
  requestId: string | null;
  responseData: JsonValue;
  processingTime: number | null;
  /** 4 decimals. */
  costCredits: Money | null;
}

/** Inputs take money as numbers or strings, timestamps as ISO strings or epoch ms. */
type Input<T> = { [K in keyof T]: T[K] extends Money | null ? MoneyInput | null : T[K] extends Timestamp | null ? Timestamp | number | null : T[K] };
/** Fields accepted on create: the row's own fields (an id may be given), all but the required ones optional. */
type CreateInput<T, Required extends keyof T, Omitted extends keyof T = never> =
  Partial<Input<Omit<T, keyof RowBase | Omitted>>> & Input<Pick<T, Required>> & { id?: Id; createdAt?: Timestamp | number };
/** Fields accepted on update (the id goes separately). */
type Patch<T, Omitted extends keyof T = never> = Partial<Input<Omit<T, keyof RowBase | Omitted>>>;

export type ProductInput = CreateInput<Product, 'name'> & {
  images?: Array<Omit<ProductImageInput, 'productId'>>;
};
export type ProductPatch = Patch<Product>;
export type ProductImageInput = CreateInput<ProductImage, 'url'>;
export type ProductImagePatch = Patch<ProductImage, 'productId' | 'isPrimary'>;
export type BackgroundInput = CreateInput<BackgroundVersion, never, 'productImageId'>;
export type CampaignInput = CreateInput<Campaign, 'name'>;
export type CampaignPatch = Patch<Campaign, 'status' | 'launchedAt'>;
export type CreativeInput = CreateInput<Creative, 'campaignId', 'version'> & { assets?: Array<Omit<CreativeAssetInput, 'creativeId'>> };
export type CreativeAssetInput = CreateInput<CreativeAsset, 'creativeId' | 'type'>;
export type IntegrationInput = CreateInput<PlatformIntegration, 'platformId'>;
export type PublicationInput = CreateInput<CampaignPublication, 'campaignId'>;
export type AiGenerationInput = CreateInput<AiGeneration, 'type'>;

export interface ProductListQuery extends ListQuery<'createdAt' | 'updatedAt' | 'name' | 'price'> {
  userId?: Id;
  status?: string;
  category?: string;
  brand?: string;
}

export interface CampaignListQuery extends ListQuery<'createdAt' | 'updatedAt' | 'name' | 'startsAt'> {
  /** The id the campaign had in localStorage. */
  legacyId?: string | number;
  userId?: Id;
  status?: CampaignStatus;
  productId?: Id;
  type?: string;
  source?: string;
}

// ------------------------------------------------------------------ the store's methods
// The methods, one per public op, are generated from the op table
// (src/api/op_table.cpp) into ops.generated.d.ts; the types they name are
// declared here.
import type { StoreOps, SyncOps } from './ops.generated.js';
export type {
  AiOps, AssetsOps, BackgroundsOps, BlobsOps, CacheOps, CampaignsOps, CreativesOps, DraftsOps, ImagesOps,
  IntegrationsOps, ProductsOps, PublicationsOps, SearchOps, StorageOps, StoreOps, SyncOps, TopLevelOps, UsersOps,
} from './ops.generated.js';

export interface ImageDeleted extends Deleted {
  /** The image that became primary instead, if any. */
  primaryImageId?: Id;
}

export interface User extends RowBase {
  email: string | null;
  name: string | null;
  avatarUrl: string | null;
  settings: JsonObject;
}

export type UserInput = CreateInput<User, never>;
export type UserPatch = Patch<User>;
/** update(id, {expectedVersion?, ...}) bumps version when elements change (CONFLICT on a stale expectedVersion). */
export type CreativePatch = Patch<Creative, 'campaignId' | 'version'> & { expectedVersion?: number };
export type CreativeListQuery = ListQuery<'createdAt' | 'updatedAt'> & { isActive?: boolean; formatId?: string };
export type CreativeAssetPatch = Patch<CreativeAsset, 'creativeId'>;
export type AssetListQuery = ListQuery & { type?: CreativeAsset['type'] };
export type IntegrationPatch = Patch<PlatformIntegration>;
export type IntegrationListQuery = ListQuery & { userId?: Id; platformId?: PlatformIntegration['platformId']; status?: string };
export type PublicationPatch = Patch<CampaignPublication, 'campaignId'>;
export type PublicationListQuery = ListQuery & { campaignId?: Id; platformIntegrationId?: Id; status?: string };
export type AiGenerationPatch = Patch<AiGeneration>;
export type AiGenerationListQuery = ListQuery & { userId?: Id; type?: AiGeneration['type']; service?: AiGeneration['service']; requestId?: string };

export interface SearchHit {
  kind: 'product' | 'campaign';
  id: Id;
  name: string;
  status: string;
  brand?: string | null;
  score: number;
  snippet: string;
}

/** Full-text search over products and campaigns (q up to 256 characters). */
export interface SearchOptions {
  userId?: Id;
  kinds?: Array<'product' | 'campaign'>;
  limit?: number;
}

export interface CacheEntry<T extends JsonValue = JsonValue> {
  hit: boolean;
  key: string;
  value?: T;
  expiresAt?: Timestamp;
}

export interface StorageInfo {
  open: boolean;
  kind: string;
  journalMode: string;
  synchronous: string;
  /** sizesUnknown: pool files whose size the host could not report just now (bytes leaves them out). */
  pool?: { files: number; free: number; used: number; damaged: number; bytes: number; sizesUnknown?: number };
}

export interface VersionInfo {
  version: string;
  sqlite: string;
  sqlite_source_id: string;
}

/** One entry of the op table (`ops`): the one description of an op. */
export interface OpDescription {
  op: string;
  /** The args object's shape. */
  args: string;
  /** The store's method as a TypeScript signature (public ops the store has a method for). */
  method?: string;
  /** The method is written by a JS facade with that signature (store.blobs). */
  facade?: true;
  /** internal: reachable through store.call only. */
  access: 'public' | 'internal';
  /** How a request forwarded by another tab replays: 'once' goes through the request log. */
  replay: 'once' | 'rerun';
  releasesStorage?: true;
  /** Bytes staged before the op runs: args.bytes, or args.entries[].value as UTF-8. */
  bytesIn?: 'bytes' | 'entries';
  /** The result member that receives the bytes the op staged. */
  bytesOut?: string;
  /** Runs the legacy migration's code. */
  legacy?: true;
  /** This module lacks the op's code (the lean module and a legacy op): the store's worker loads the full module for it. */
  absent?: true;
}

export interface Health {
  ok: boolean;
  open: boolean;
  quickCheck: string;
  foreignKeyViolations: number;
  schemaVersion: number;
}

export interface Metrics {
  tables: Record<string, number>;
  bytes: number;
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  schemaVersion: number;
}

export interface QueryResult<Row = Record<string, SqlValue>> {
  columns: string[];
  /** One plain object per row, keyed by column name. */
  rows: Row[];
}

export interface ExecResult {
  changes: number;
  /** A bigint (or as `int64` asks) beyond 2^53 - 1. */
  lastInsertRowid: number | bigint | string;
}

export interface BatchStep {
  op: string;
  args?: object;
}

export interface ChangeEvent {
  /** The tables a committed transaction touched. */
  tables: string[];
}

export type LiveSnapshot<T> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'success'; data: T; error: undefined }
  /** data keeps the last good result, if there was one. */
  | { status: 'error'; data: T | undefined; error: CampaignStoreError | Error };

export declare class LiveQuery<T> {
  /** The current snapshot; the same object until something changes. */
  getSnapshot(): LiveSnapshot<T>;
  /** Starts running with the first listener, pauses after the last. */
  subscribe(listener: (snapshot: LiveSnapshot<T>) => void): () => void;
  /** The tables the query depends on (null: any). */
  readonly tables: string[] | null;
  /** Runs again now (coalesced). */
  refresh(): void;
  close(): void;
}

export interface StoreInfo {
  /** This store's id among the tabs sharing the database. */
  tabId: string;
  /** 'leader' when this tab's worker owns the database; 'waiting' until a leader is known. */
  role: 'leader' | 'follower' | 'waiting';
  leader: string | null;
  version: VersionInfo;
  /** The public ops the core answers: each is a method of the store (internal ones are reachable through call() only). */
  ops: string[];
  open?: JsonObject;
  /** OPFS: what navigator.storage.persist() answered (set shortly after open; null where unavailable). */
  persisted?: boolean | null;
  /** The database open now: `name`, or `name.user-<userId>` while a user is signed in. */
  database: string;
  /** The storage it is open on (the first of the `storage` list this context supports). */
  storage: Storage;
  /** Why an earlier storage of the list was passed over (e.g. OPFS refused in private browsing). */
  storageFallback?: { storage: Storage; code: 'UNSUPPORTED'; name: string | null; message: string };
}

export interface LogEntry {
  source: 'client' | 'worker';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  details?: Record<string, unknown>;
}

export type Storage = 'opfs' | 'memory' | { node: string };

// ---- legacy migration: migrateLocalStorage, localStorage, onMigrationProgress, legacy
export interface OpenOptions extends MigrationOpenOptions {
  /** Database name (1-64 of letters, digits, _ . -); tabs with the same name share it. Default 'campaign-store'. */
  name?: string;
  /** Default: 'opfs' in browsers, 'memory' in Node. A list is tried in order: ['opfs', 'memory'] runs where OPFS is refused. */
  storage?: Storage | Storage[];
  /**
   * 'batched' (default): a commit survives a crash of the tab or browser at once, and reaches
   * the disk within 200 ms (power loss may lose that window; never corrupts).
   * 'full': every commit is flushed to disk before its call returns.
   */
  durability?: 'batched' | 'full';
  /**
   * Supabase sync. `{supabase}` (the app's SupabaseClient) makes the store follow its auth state:
   * each user has a database of their own, synced with their tokens. Without it the store works fully offline.
   */
  sync?: SupabaseSyncOptions | SyncOptions | null;
  /** Receives log entries from the client and the worker. */
  log?: (entry: LogEntry) => void;
  /** false: serve the store in this thread (tests, scripts); default true. */
  worker?: boolean;
  /** Coordinate tabs sharing OPFS storage (default true where Web Locks exist). */
  multiTab?: boolean;
  /** OPFS: ask the browser not to evict the data (navigator.storage.persist(); default true). */
  persist?: boolean;
  /** Suspend on pagehide/freeze and resume on pageshow (default true in browsers). */
  lifecycle?: boolean;
  /** Overrides for unusual deployments (the defaults resolve via import.meta.url). */
  workerUrl?: string | URL;
  wasmUrl?: string | URL;
  moduleUrl?: string | URL;
  /** Enables test-only ops (worker.debug.crash). */
  testHooks?: boolean;
  /** How integers beyond 2^53 - 1 are answered: 'bigint' (default), 'string' or 'number' (rounded). */
  int64?: Int64Mode;
}

/** The store's methods made from the op table, beside those it writes itself (below). */
export interface CampaignStore extends Omit<StoreOps, 'sync' | 'blobs'> {}

export declare class CampaignStore {
  /** What the worker answered at start. */
  info: StoreInfo;

  /** Supabase sync (with the `sync` option; otherwise only the raw sync.* ops). */
  sync: SyncMethods;
  /** Whose database is open, switching users, and the data made while signed out. */
  account: AccountMethods;
  // ---- legacy migration
  /** The localStorage migration: the report of the run on open, rollback export, release. */
  migration: MigrationMethods;
  /** Content-addressed bytes (migrated images): get, info, put, objectUrl. */
  blobs: BlobMethods;
  /** The old app's call shapes over this store (saveAd, getCampaigns, getProducts...). */
  legacy: LegacyFacade;

  sql: {
    /** Read-only statements with bound parameters. */
    query<Row = Record<string, SqlValue>>(sql: string, params?: SqlParams, options?: CallOptions): Promise<QueryResult<Row>>;
    /** Writes with bound parameters. */
    exec(sql: string, params?: SqlParams, options?: CallOptions): Promise<ExecResult>;
  };
  /** Runs the steps in one transaction: all commit or none (the error's details.index names the failing step). */
  batch(ops: BatchStep[], options?: CallOptions): Promise<unknown[]>;
  /** Any op by name. */
  call<T = unknown>(op: string, args?: object, options?: CallOptions): Promise<T>;

  /** Hears about committed changes to these tables ('*': all). Returns unsubscribe. */
  subscribe(tables: string | string[] | '*', cb: (event: ChangeEvent) => void): () => void;
  /** A query that re-runs when the tables it read change. Call methods on the store passed to fn. */
  liveQuery<T>(fn: (store: CampaignStore) => Promise<T>, options?: { tables?: string[] }): LiveQuery<T>;
  /** True while a raw transaction (sql.exec('BEGIN') ...) is open. */
  readonly inTransaction: boolean;
  /** True after close(), terminate() or a worker crash. */
  readonly closed: boolean;
  /** Serves what was sent before, closes the database, stops the worker. Later calls reject with CLOSED. */
  close(): Promise<void>;
  /** Stops the worker at once; pending calls reject with CLOSED. */
  terminate(): void;
}

/**
 * Marks bytes to be moved to the worker instead of copied: after the call that
 * sends them they are detached (empty) on the caller's side. Without it a
 * caller's buffer is never detached. Returns its argument.
 */
export declare function transfer<T extends ArrayBuffer | ArrayBufferView>(bytes: T): T;

/** Starts the worker, opens the database, and resolves with the store. */
export declare function openCampaignStore(options?: OpenOptions): Promise<CampaignStore>;

/** entity -> method -> parameters of the generated methods (js/client/methods.generated.js). */
export declare const ENTITIES: Readonly<Record<string, Record<string, string[]>>>;

/** A user as the store knows them. */
export interface AccountUser {
  id: string;
  email: string | null;
}

export interface AccountSnapshot {
  /** 'switching': the old user's database is closing and the next one opening; calls wait for it. */
  phase: 'opening' | 'ready' | 'switching' | 'error';
  /** Whose database is open (null: the signed-out database). */
  user: AccountUser | null;
  database: string | null;
  /** Why the last switch failed (phase 'error'); switch again to retry. */
  error: Error | null;
}

/** Rows per synced table. */
export interface AccountData {
  total: number;
  tables: Record<string, number>;
}

export interface AccountMethods {
  readonly user: AccountUser | null;
  readonly database: string | null;
  getSnapshot(): AccountSnapshot;
  subscribe(listener: () => void): () => void;
  /**
   * Closes this database (after serving what was sent to it; its sync stops) and opens `user`'s
   * (null: the signed-out one). With `sync: {supabase}` the store does this on sign-in and sign-out.
   */
  switch(user: { id: string; email?: string | null } | string | null): Promise<void>;
  /** What the signed-out database holds (it also receives the legacy localStorage migration). Zero while it is open. */
  signedOutData(): Promise<AccountData>;
  /** Moves the signed-out rows (and their blobs) into the signed-in user's database, where they sync up. Never automatic. */
  adoptSignedOutData(): Promise<{ moved: number; tables: Record<string, number> }>;
}

/** Sync driven by the app's SupabaseClient: URL, key, user and tokens come from it. */
export interface SupabaseSyncOptions {
  /** createClient(url, anonKey) from @supabase/supabase-js. */
  supabase: {
    auth: {
      getSession(): Promise<{ data: { session: { access_token: string; user: { id: string; email?: string } } | null } }>;
      refreshSession(): Promise<{ data: { session: { access_token: string; user: { id: string; email?: string } } | null } }>;
      onAuthStateChange(cb: (event: string, session: { user: { id: string; email?: string } } | null) => void):
        { data: { subscription: { unsubscribe(): void } } };
    };
  };
  /** Overrides the client's own project URL and key. */
  url?: string;
  anonKey?: string;
  autoStart?: boolean;
  intervalMs?: number;
  /** Realtime wake-ups on the client's own socket (default on); false: polling only. */
  realtime?: false | { intervalMs?: number };
  /** Background downloads of the blobs the user's rows reference (default on); false: off. */
  blobDownloads?: false | BlobDownloadOptions;
}

export interface BlobDownloadOptions {
  /** Downloads at a time (default 3). */
  concurrency?: number;
  /** No download starts once the local blobs would pass this many bytes (default: no limit). */
  maxBytes?: number;
  /** Per download (default 60 000 ms). */
  timeoutMs?: number;
}

/** Realtime for the {url, anonKey, userId, getAccessToken} form: the store makes its own RealtimeClient. */
export interface RealtimeOptions {
  /** `RealtimeClient` from @supabase/realtime-js. */
  RealtimeClient: new (endpoint: string, options?: any) => any;
  /** A WebSocket class where there is no global one (Node < 22: `ws`). */
  transport?: any;
  /** Background cycle interval while the channel is joined (default 300 000 ms). */
  intervalMs?: number;
}

export interface SyncOptions {
  /** The Supabase project URL, e.g. http://127.0.0.1:54321. */
  url: string;
  /** The project's anon key (sent as `apikey`). */
  anonKey: string;
  /** The signed-in user's id: one local database belongs to one user. */
  userId: string;
  /** The user's access token; called with refresh: true once after a 401. */
  getAccessToken(opts: { refresh: boolean }): string | null | Promise<string | null>;
  /** Start background sync on open (default true). */
  autoStart?: boolean;
  /** Background cycle interval (default 30 000 ms). */
  intervalMs?: number;
  /** Realtime wake-ups (off without it). */
  realtime?: false | RealtimeOptions;
  /** Background downloads of the blobs the user's rows reference (default on); false: off. */
  blobDownloads?: false | BlobDownloadOptions;
}

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error' | 'stopped' | 'signed-out';

/** What the sync engine counts (the sync.status op; store.sync.status() before sync is attached). */
export interface SyncEngineStatus {
  userId: string | null;
  clientId: string;
  /** Rows with local changes not yet acknowledged by the server. */
  pending: number;
  rejected: number;
  conflicts: number;
  /** Pulled changes to a table this version does not know, kept for a newer one. */
  parked: number;
  blobsPending: number;
  blobsRejected: number;
  cycleActive: boolean;
  lastSyncedAt: number | null;
}

export interface SyncStatus {
  state: SyncState;
  /** Rows with local changes not yet acknowledged by the server. */
  pending: number;
  lastSyncedAt: number | null;
  conflicts: number;
  rejected: number;
  /** Blobs referenced by local rows and not in Supabase Storage yet (uploaded before those rows are pushed). */
  blobsPending: number;
  /** Blob uploads Storage refused (403, 400, 413, ...): kept with the reason, see sync.blobs(). */
  blobsRejected: number;
  /** Blobs the rows reference by their Storage URL that this device has no bytes for yet (downloading in the background). */
  blobsToDownload: number;
  /** The Realtime channel: 'connected' wakes sync on every server change (polling slows to realtime.intervalMs). */
  realtime: 'off' | 'connecting' | 'connected';
  error: { code: string; message: string } | null;
}

/** One blob upload to Supabase Storage, at `<bucket>/<storagePath>`. */
export interface SyncBlob {
  bucket: 'product-images' | 'creative-assets' | string;
  /** SHA-256 of the bytes (hex). */
  hash: string;
  /** 'acknowledged' is final: never uploaded again. */
  state: 'pending' | 'acknowledged' | 'rejected';
  attempts: number;
  lastStatus: number | null;
  /** The server's reason of the last failed attempt, e.g. "403 Unauthorized: new row violates row-level security policy". */
  lastError: string | null;
  /** `<userId>/<sha256>`. */
  storagePath: string;
  updatedAt: Timestamp | null;
}

export interface SyncConflict {
  table: string;
  id: Id;
  winner: 'local' | 'remote';
  local: JsonObject | null;
  remote: JsonObject | null;
}

export interface SyncSummary {
  ok: boolean;
  pushed: number;
  pulled: number;
  superseded: number;
  rejected: number;
  conflicts: number;
  /** Blobs Storage acknowledged in this cycle. */
  uploaded: number;
  /** Blob uploads Storage refused in this cycle. */
  blobsRejected: number;
  requests: number;
}

/** store.sync: conflicts, blobs and retryBlobs are the sync.* ops' (SyncOps); status() adds the loop's state to sync.status's counts. */
export interface SyncMethods extends Omit<SyncOps, 'status'> {
  status(): Promise<SyncStatus>;
  start(): void;
  stop(): void;
  now(): Promise<SyncSummary>;
  /** Downloads now the blobs the rows reference and this device lacks (also runs after every cycle). */
  downloadBlobs(): Promise<void>;
  onStatus(cb: (status: SyncStatus) => void): () => void;
  onConflict(cb: (conflict: SyncConflict) => void): () => void;
}
// ---- legacy migration: collection, compat facade, rollback helpers
export { collectLegacyStorage, createLegacyFacade, exportLegacy, migrateLegacyStorage, releaseLegacyKeys } from './legacy/index.js';
export type { BlobInfo, BlobMethods, LegacyFacade, LegacyFacadeOptions, MigrationMethods, MigrationProgress, MigrationReport, WebStorageLike } from './legacy/index.js';
