// Types of the localStorage migration, the compat facade and the blob store
// (js/legacy/); js/index.d.ts adds them to CampaignStore and OpenOptions.
import type { BlobsOps } from '../ops.generated.js';

/** Anything with the Web Storage interface: window.localStorage, or a stand-in. */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem?(key: string, value: string): void;
  removeItem?(key: string): void;
}

export interface LegacyEntry {
  key: string;
  value: string;
  /** The string held lone surrogates (stored with U+FFFD; the key is never released). */
  lossy?: boolean;
}

export interface CollectedStorage {
  available: boolean;
  error?: string;
  entries: LegacyEntry[];
  otherKeys: Array<{ key: string; units?: number }>;
  /** UTF-16 code units of the legacy keys and values (what the quota counts). */
  units: number;
}

export interface MigrationProgress {
  /**
   * items: inside a large key, while the engine works on it: its items in each step (parse, rows, images,
   * versions, save, then done), and the steps commit (the key's group) and report (key "*") without counts.
   */
  phase: 'collected' | 'migrating' | 'items' | 'done';
  key?: string;
  step?: 'start' | 'parse' | 'rows' | 'images' | 'versions' | 'save' | 'done' | 'commit' | 'report';
  itemsDone?: number;
  itemsTotal?: number;
  /** The key group being migrated: products, sample_data, campaigns, saved_campaigns, backgrounds, drafts. */
  group?: string;
  done: number;
  total: number;
  units: number;
  unitsDone: number;
  keys?: number;
  ok?: boolean;
}

/** The manifest's `expected` field names (tests/fixtures/README.md). */
export interface MigrationCounts {
  products: number;
  product_images: number;
  background_versions: number;
  legacy_campaigns: number;
  legacy_campaign_product_refs: { resolved: number; dangling: number; missing: number };
  v2_campaigns: number;
  creatives: number;
  drafts: number;
  draft_keys: { full: number; minimal: number };
  campaigns_created_for_orphan_drafts: number;
  ai_generations: number;
  ai_generations_linked: number;
  sample_products: number;
  sample_campaigns: number;
  sample_rows: number;
  data_url_occurrences: number;
  data_url_blobs: number;
  data_url_blob_bytes: number;
  unrelated_keys: number;
  unparsable_keys: number;
  skipped_items: number;
  /** Per entity and field: members no spelling of any field names (src/legacy/README.md, "Field spellings"). */
  fields_ignored: FieldCounts;
  /** Per entity and field: values that could not fill their column. */
  values_unreadable: FieldCounts;
  /** Per entity and field: spellings of one field holding different values (the first won). */
  field_conflicts: FieldCounts;
  [extra: string]: unknown;
}

/** {entity: {field: count}}; nested fields are named "adData.ctaType", "schedule.startsAt". */
export type FieldCounts = Record<string, Record<string, number>>;

export interface MigrationKeyReport {
  status: 'migrated' | 'unparsed' | 'unmapped';
  entity?: string;
  rows?: number;
  skipped?: number;
  reason?: 'truncated' | 'empty' | 'invalid-json' | 'shape' | 'too-deep';
  salvageable_items?: number;
  hash?: string;
  units?: number;
  bytes?: number;
  migratedAt?: string;
  releasedAt?: string;
  lossy?: boolean;
  /** How many things of this key did not reach the typed tables (see warnings). */
  lost?: number;
}

export interface MigrationIssue {
  /**
   * Warnings of loss: UNPARSED, LOSSY, ITEMS_SKIPPED, FIELD_IGNORED, VALUE_UNREADABLE, FIELD_CONFLICT
   * (with count, and entity/field for the field ones); also RESUMED and the odd keys' codes.
   */
  code: string;
  key: string;
  message?: string;
  entity?: string;
  field?: string;
  count?: number;
  [detail: string]: unknown;
}

export interface ReleaseResult {
  released: string[];
  /** code: CHANGED, LOSSY, MIGRATION_ERROR, NOT_MIGRATED, NOT_LEGACY, UNPARSED, ITEMS_SKIPPED, FIELDS_LOST, REMOVE_FAILED. */
  kept: Array<{ key: string; code: string; reason: string }>;
  units: number;
}

export interface ReleaseOptions {
  localStorage?: WebStorageLike | null;
  /** Also remove keys whose migration left something out of the typed tables (their text stays in the database). */
  includeUnmigrated?: boolean;
}

export interface MigrationReport {
  format: 'campaign-store/legacy-migration-report@1';
  /** No group failed, the database holds what localStorage held, and nothing was lost from the typed tables. */
  ok: boolean;
  /** What did not reach the typed tables, in total (each in warnings, with its key and count). */
  loss: { unparsedKeys: number; lossyKeys: number; skippedItems: number; fieldsIgnored: number; valuesUnreadable: number;
    fieldConflicts: number };
  /** Per entity and field: members no spelling of any field names. */
  fieldsIgnored: FieldCounts;
  runId: number;
  /** What localStorage held (counted from the values). */
  source: MigrationCounts;
  /** What the database holds now (counted row by row). */
  database: Partial<MigrationCounts> & Record<string, unknown>;
  /** Rows a re-migration no longer saw in localStorage, kept (never deleted). */
  retained?: Record<string, number>;
  keys: Record<string, MigrationKeyReport>;
  /** Every legacy id found in the database, by entity, as the source had it (number or string). */
  legacyIds: Record<string, Array<string | number | null>>;
  bytes: {
    localStorage: { legacyKeys: number; legacyUnits: number; legacyBytes: number; otherKeys: number; otherUnits: number;
      quotaUnits: number; legacyQuotaFraction: number; releasableUnits: number };
    database: { originalBytes: number; blobBytes: number; allBlobBytes: number; databaseBytes: number };
  };
  released: string[];
  remaining: string[];
  errors: MigrationIssue[];
  warnings: MigrationIssue[];
  run: { startedAt: string; finishedAt: string; durationMs: number; interruptedBefore: boolean;
    groups: Array<{ group: string; keys: string[]; outcome: 'migrated' | 'unchanged' | 'failed' }>;
    blobsInserted: number; blobBytesInserted: number };
}

export interface LegacyExport {
  entries: Array<{ key: string; value: string; verbatim: boolean }>;
  units: number;
  warnings: MigrationIssue[];
  inlineImages: boolean;
  /** With write: true. */
  written?: string[];
  failed?: Array<{ key: string; error: string }>;
}

export interface MigrationMethods {
  /** The report of the run on open (null: nothing to migrate, the run was off, or it failed: see lastError). */
  lastReport: MigrationReport | null;
  lastError: Error | null;
  /** Collects localStorage (or the given one) and migrates what changed. */
  run(options?: { localStorage?: WebStorageLike | null; onProgress?: (event: MigrationProgress) => void; measureOtherKeys?: boolean;
    incremental?: boolean }): Promise<MigrationReport | null>;
  /** The last report, validated against the database now. */
  report(): Promise<MigrationReport>;
  /** The legacy keys regenerated from the database; write: true puts them back into localStorage (rollback). */
  exportLegacy(options?: { inlineImages?: boolean; keys?: string[]; write?: boolean; localStorage?: WebStorageLike | null }): Promise<LegacyExport>;
  /** Removes the legacy keys whose migration is verified and whole; the originals stay in the database. */
  releaseLegacyKeys(options?: ReleaseOptions): Promise<ReleaseResult>;
  /** Deletes every row that came from sample_data. */
  deleteSampleData(): Promise<{ products: number; campaigns: number }>;
}

export interface BlobInfo {
  hash: string;
  size: number;
  mime: string;
}

/** get, info and put are the blobs.* ops' (BlobsOps), by hash or reference ("blob:sha256:<hex>#label"). */
export interface BlobMethods extends BlobsOps {
  /** URL.createObjectURL for a blob: one per blob and store, revoked on close. */
  objectUrl(ref: string): Promise<string>;
  revokeAll(): void;
}

export interface LegacyFacadeOptions {
  store?: { call(op: string, args?: object): Promise<any>; blobs?: BlobMethods } | null;
  localStorage?: WebStorageLike | null;
  /** false: read and write localStorage only, as the old app did (default true). */
  useDatabase?: boolean;
  /** Writes also go back to localStorage in the legacy shape, best effort within the quota. */
  dualWrite?: boolean;
  /** How images come back: references, object URLs, or data: URLs (default 'ref'). */
  images?: 'ref' | 'objectUrl' | 'inline';
  onWriteBack?: (result: { keys: string[]; inlineImages: boolean; failed: Array<{ key: string; error: string }> }) => void;
}

/** Legacy shapes are the app's own: untyped JSON. */
export type LegacyItem = { [key: string]: any };

export interface LegacyFacade {
  readonly useDatabase: boolean;
  readonly dualWrite: boolean;
  saveAd(adData: LegacyItem): Promise<{ success: true; campaign: LegacyItem } | { success: false; error: string }>;
  getCampaigns(): Promise<LegacyItem[]>;
  getSavedCampaigns(): Promise<LegacyItem[]>;
  getProducts(): Promise<LegacyItem[]>;
  getProduct(id: string | number): Promise<LegacyItem | null>;
  getCampaign(id: string | number): Promise<LegacyItem | null>;
  writeBack(keys?: string[]): Promise<object | null>;
}

export interface MigrationOpenOptions {
  /** Migrate the legacy localStorage keys on open (default true). */
  migrateLocalStorage?: boolean;
  /** The migration plan's name for migrateLocalStorage. */
  migrateExistingData?: boolean;
  /** The Web Storage to migrate from (default globalThis.localStorage). */
  localStorage?: WebStorageLike | null;
  onMigrationProgress?: (event: MigrationProgress) => void;
  /** Flags of store.legacy (the compat facade). */
  legacy?: Omit<LegacyFacadeOptions, 'store'>;
}

export declare function collectLegacyStorage(storage?: WebStorageLike | null, options?: { measureOtherKeys?: boolean }): CollectedStorage;
export declare function isLegacyKey(key: string): boolean;
export declare function migrateLegacyStorage(call: (op: string, args: object) => any, options?: {
  localStorage?: WebStorageLike | null; onProgress?: (event: MigrationProgress) => void; timeZone?: object; measureOtherKeys?: boolean;
  /** false: a changed products key re-reads every product (benchmarks). */
  incremental?: boolean;
}): Promise<MigrationReport | null>;
export declare function exportLegacy(call: (op: string, args: object) => any, options?: {
  inlineImages?: boolean; keys?: string[]; write?: boolean; localStorage?: WebStorageLike | null;
}): Promise<LegacyExport>;
export declare function releaseLegacyKeys(call: (op: string, args: object) => any, options?: ReleaseOptions): Promise<ReleaseResult>;
export declare function createLegacyFacade(options?: LegacyFacadeOptions): LegacyFacade;
export declare function timeZoneTransitions(range?: { from?: number; to?: number }): Array<[number, number]>;
export declare function localTimeZone(): { transitions: Array<[number, number]> };
export declare function blobHash(ref: string): string | null;
/** The door of an in-thread engine (campaign-store/core) with the binary path, for migrateLegacyStorage & co. */
export declare function engineCaller(engine: { call(op: string, args?: object): any; module: any }): (op: string, args: object) => any;
export declare const GROUP_ORDER: readonly string[];
