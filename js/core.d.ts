// Types of campaign-store/core (js/core.js): the engine on the calling
// thread, without a worker.

export type ErrorCode =
  | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'CONFLICT' | 'CONSTRAINT' | 'STORAGE_FULL' | 'IO'
  | 'CORRUPT' | 'BUSY' | 'UNAUTHORIZED' | 'NETWORK' | 'INTERNAL'
  /** JS only: the worker went away (crash, terminate, close()). */
  | 'CLOSED'
  /** JS only: the storage asked for is refused in this browser context (details.name: the browser's error). */
  | 'UNSUPPORTED';

export declare const ERROR_CODES: readonly ErrorCode[];

/** The one error type the module throws (and rejects with). */
export declare class CampaignStoreError extends Error {
  constructor(code: ErrorCode | string, message: string, details?: Record<string, unknown>);
  name: 'CampaignStoreError';
  code: ErrorCode;
  /** Structured: field, index, op, expected, ... */
  details: Record<string, any>;
  static fromWire(wire: { code?: string; message?: string; details?: Record<string, unknown> } | null | undefined): CampaignStoreError;
  toJSON(): { code: ErrorCode; message: string; details: Record<string, any> };
}

/** Where a persistent database lives (js/hosts/index.js). */
export interface StorageOptions {
  kind: 'opfs' | 'node' | 'memory';
  /** OPFS pool name (a directory under .campaign-store/). */
  name?: string;
  /** Node: the directory holding the pool files. */
  dir?: string;
  /** Pool files opened up front (default 4). */
  capacity?: number;
  /** The SQLite file name inside the pool (default 'campaign-store.db'). */
  database?: string;
  /** 'batched' (default): flushed within syncWithinMs; 'full': every commit flushed. */
  durability?: 'batched' | 'full';
  syncWithinMs?: number;
  journalMode?: 'wal' | 'delete' | 'truncate' | 'persist';
  synchronous?: 'full' | 'normal' | 'extra' | 'off';
  lockingMode?: 'exclusive' | 'normal';
  journalSizeLimit?: number;
  persist?: boolean;
}

/** A synchronous handle on one engine inside the wasm module. */
export declare class Engine {
  constructor(module: unknown, options?: { int64?: 'bigint' | 'string' | 'number' });
  readonly module: any;
  /** The persistent storage behind the open database, or null. */
  storage: unknown | null;
  /** Tables touched by the last call's committed transactions. */
  lastChanges: Array<string | { table: string; ids?: Array<string | number> }>;
  /** How call() answers integers beyond 2^53 - 1 unless told otherwise (default 'bigint'). */
  int64: 'bigint' | 'string' | 'number';
  /** The one door: throws CampaignStoreError on failure. */
  call<T = unknown>(op: string, args?: object, options?: { int64?: 'bigint' | 'string' | 'number' }): T;
  /** call(), answering the envelope's text and blobs unparsed (for the worker). */
  callEnvelope(op: string, args?: object): { text: string; blobs: Uint8Array[] | null };
  /** Opens a persistent database on a storage host; returns the `open` op's result. */
  openStorage(options: StorageOptions): Promise<Record<string, unknown>>;
  /** Grows the pool if the last call asked for it (OPFS); call between calls. */
  maintainStorage(): Promise<void>;
  /** Flushes every commit so far to disk. */
  sync(): unknown;
  storageMetrics(): Promise<Record<string, unknown>>;
  /** The open database as a standard SQLite file. */
  exportDatabase(): Uint8Array;
  /** Replaces the open database with a SQLite file (checked first). */
  importDatabase(bytes: Uint8Array): Record<string, unknown>;
  /** Deletes a persistent database that is not open. */
  deleteStorage(options: StorageOptions & { all?: boolean }): Promise<Record<string, unknown>>;
  dispose(): void;
}

/** Loads the module (once per thread) and returns a fresh Engine, with `storage` opened if given. */
export declare function createEngine(options?: {
  wasmUrl?: URL | string;
  moduleUrl?: URL | string;
  storage?: StorageOptions;
  int64?: 'bigint' | 'string' | 'number';
}): Promise<Engine>;
