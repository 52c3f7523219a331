// The sync fetch loop: carries the requests the C++ sync engine builds
// (sync.next) to the Supabase backend and hands the answers back (sync.apply).
// It decides nothing about data; it owns only transport concerns: auth
// headers, timeouts, exponential backoff with jitter, offline pauses, and
// never running two cycles at once. Requests are RPC calls with a JSON body,
// or blob uploads to Storage whose body is the blob's bytes (a Uint8Array
// out of the export slot: js/engine/bytes.js) with the headers the engine chose.
import { encodeArgs } from '../protocol/values.js';

const DEFAULTS = {
  intervalMs: 30_000,     // background cycle while started
  realtimeIntervalMs: 300_000,  // the same while Realtime is connected (it wakes the loop on changes)
  debounceMs: 300,        // after local changes
  timeoutMs: 15_000,      // per request
  maxAttempts: 6,         // per request, within one cycle
  baseBackoffMs: 250,
  maxBackoffMs: 30_000,
};

/**
 * @typedef {'idle'|'syncing'|'offline'|'error'|'stopped'} SyncState
 * @typedef {{state: SyncState, pending: number, lastSyncedAt: number|null,
 *   conflicts: number, rejected: number, blobsPending: number, blobsRejected: number,
 *   realtime: 'off'|'connecting'|'connected', blobsToDownload?: number,
 *   error: {code: string, message: string}|null}} SyncStatus
 */

export class SyncLoop {
  /**
   * @param {object} o
   * @param {(op: string, args?: object) => any} o.call  the engine's door (sync or async), binary
   *   path included (the store's call, or callWithBytes of js/engine/bytes.js on an in-thread engine)
   * @param {string} o.url        Supabase project URL, e.g. http://127.0.0.1:54321
   * @param {string} o.anonKey    the project's anon key (sent as `apikey`)
   * @param {(opts: {refresh: boolean}) => Promise<string|null>|string|null} o.getAccessToken
   * @param {typeof fetch} [o.fetch]
   * @param {(status: SyncStatus) => void} [o.onStatus]
   * @param {(conflict: object) => void} [o.onConflict]
   * @param {(summary: object) => void} [o.onCycle]   after each cycle that completed
   * @param {() => object} [o.extraStatus]            more fields for status()
   * @param {Partial<typeof DEFAULTS>} [o.options]
   */
  constructor({ call, url, anonKey, getAccessToken, fetch: fetchImpl, onStatus, onConflict, onCycle, extraStatus, options }) {
    this.call = call;
    this.url = url.replace(/\/+$/, '');
    this.anonKey = anonKey;
    this.getAccessToken = getAccessToken;
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.onStatus = onStatus ?? (() => {});
    this.onConflict = onConflict ?? (() => {});
    this.onCycle = onCycle ?? (() => {});
    this.extraStatus = extraStatus ?? (() => ({}));
    this.options = { ...DEFAULTS, ...options };
    this.running = null;       // the cycle in progress (a promise)
    this.again = false;        // another cycle was asked for while one ran
    this.timer = null;
    this.debounce = null;
    this.started = false;
    this.online = typeof navigator === 'undefined' || navigator.onLine !== false;
    this.state = 'stopped';
    this.lastError = null;
    this.token = null;
    this.realtime = 'off';     // Realtime's channel: 'off' | 'connecting' | 'connected'
  }

  /** Realtime's channel state: while connected, the background cycle runs at realtimeIntervalMs. */
  setRealtime(state) {
    const wasConnected = this.realtime === 'connected';
    this.realtime = state;
    if (wasConnected !== (state === 'connected') && this.started) this.schedule(this.interval());
    this.emit(this.state);
  }

  /** Realtime says the server has changes for this user: a cycle now. */
  wake() {
    if (this.started && this.online) this.now().catch(() => {});
  }

  interval() {
    return this.realtime === 'connected' ? this.options.realtimeIntervalMs : this.options.intervalMs;
  }

  /** Starts background syncing: now, then every intervalMs and after changes. */
  start() {
    if (this.started) return;
    this.started = true;
    if (typeof addEventListener === 'function') {
      this.onOnline = () => { this.online = true; this.schedule(0); };
      this.onOffline = () => { this.online = false; this.emit('offline'); };
      addEventListener('online', this.onOnline);
      addEventListener('offline', this.onOffline);
    }
    this.emit(this.online ? 'idle' : 'offline');
    this.schedule(0);
  }

  /** Stops background syncing; a cycle in progress finishes its request. */
  stop() {
    this.started = false;
    clearTimeout(this.timer);
    clearTimeout(this.debounce);
    if (this.onOnline) {
      removeEventListener('online', this.onOnline);
      removeEventListener('offline', this.onOffline);
    }
    this.emit('stopped');
  }

  /** Local data changed: sync soon (debounced). */
  notifyLocalChange() {
    if (!this.started) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.now().catch(() => {}), this.options.debounceMs);
  }

  /**
   * Runs one full cycle (push everything, pull until caught up) and resolves
   * with its summary. Calls during a cycle share one follow-up cycle, so
   * writes made meanwhile are never left behind and two cycles never overlap.
   */
  now() {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.now());
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    });
    return this.running;
  }

  schedule(delayMs) {
    if (!this.started) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (this.online) await this.now().catch(() => {});
      this.schedule(this.interval());
    }, delayMs);
  }

  async status() {
    const s = await this.call('sync.status');
    return { state: this.state, pending: s.pending, lastSyncedAt: s.lastSyncedAt,
      conflicts: s.conflicts, rejected: s.rejected, blobsPending: s.blobsPending ?? 0,
      blobsRejected: s.blobsRejected ?? 0, realtime: this.realtime, ...this.extraStatus(), error: this.lastError };
  }

  async emit(state) {
    this.state = state;
    try { this.onStatus(await this.status()); } catch { /* closed engine: nothing to report */ }
  }

  async cycle() {
    if (!this.online) {
      await this.emit('offline');
      return { ok: false, offline: true };
    }
    await this.emit('syncing');
    const totals = { pushed: 0, pulled: 0, superseded: 0, rejected: 0, conflicts: 0, uploaded: 0,
      blobsRejected: 0, requests: 0 };
    try {
      await this.call('sync.begin');
      for (;;) {
        const request = await this.call('sync.next');
        if (request.kind === 'idle') break;
        const result = await this.carry(request);
        totals.requests++;
        if (result.kind === 'push') {
          totals.pushed += result.applied;
          totals.superseded += result.superseded;
          totals.rejected += result.rejected;
        } else if (result.kind === 'upload') {
          totals.uploaded += result.acknowledged;
          totals.blobsRejected += result.rejected;
        } else {
          totals.pulled += result.applied;
        }
        for (const conflict of result.conflicts ?? []) {
          totals.conflicts++;
          this.onConflict(conflict);
        }
      }
      this.lastError = null;
      await this.emit('idle');
      const summary = { ok: true, ...totals };
      try { this.onCycle(summary); } catch { /* a listener must not fail the cycle */ }
      return summary;
    } catch (err) {
      this.lastError = { code: err.code ?? 'NETWORK', message: err.message };
      await this.emit(err.code === 'NETWORK' && !this.online ? 'offline' : 'error');
      throw err;
    }
  }

  /** Sends one request until it gets an answer the engine accepts. */
  async carry(request) {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // Offline (the browser says so): no request, and no retries that could
      // only fail; the cycle ends 'offline' and the online event starts the
      // next one (sync.begin forgets the request that was never sent).
      if (!this.online) throw offlineError();
      // The answer goes to the engine as the text it came in: the engine
      // parses it, so a value too deep to store costs one row, not the page.
      const { status, text } = await this.send(request, refreshed);
      const result = await this.call('sync.apply', { id: request.id, status, text });
      if (result.ok) return result;
      if (status === 0 && !this.online) throw offlineError();  // the network went away during the request
      if (result.retry === 'auth' && !refreshed) {
        refreshed = true;  // one fresh token, then give up: no 401 loops
      } else if (result.retry === 'backoff' && attempt < this.options.maxAttempts) {
        await sleep(this.backoff(attempt));
      } else {
        const error = new Error(result.retry === 'auth'
          ? 'the server refused the access token (401) after a refresh'
          : `sync request failed with HTTP ${result.status}`);
        error.code = result.retry === 'auth' ? 'UNAUTHORIZED' : 'NETWORK';
        error.details = { status: result.status, body: result.error ?? null };
        throw error;
      }
      // The engine forgets a request once answered; ask it for the next one
      // (the same changes, same mutation ids: the server dedupes them).
      request = await this.call('sync.next');
      if (request.kind === 'idle') return { ok: true, kind: 'pull', applied: 0, conflicts: [] };
    }
  }

  backoff(attempt) {
    const cap = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * cap / 2;  // "equal jitter"
  }

  async send(request, refresh) {
    const upload = request.kind === 'upload';
    if (upload && !(request.body instanceof Uint8Array)) {
      const error = new Error('an upload request came without its bytes: call sync.next through the binary ' +
        'path (the store, or callWithBytes of js/engine/bytes.js on an in-thread engine)');
      error.code = 'INTERNAL';
      throw error;
    }
    if (refresh || !this.token) this.token = await this.getAccessToken({ refresh: Boolean(refresh) });
    if (!this.token) {
      const error = new Error('not signed in: no access token for sync');
      error.code = 'UNAUTHORIZED';
      throw error;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.fetch(this.url + request.path, {
        method: request.method,
        headers: {
          apikey: this.anonKey,
          Authorization: `Bearer ${this.token}`,
          ...(request.headers ?? { 'Content-Type': 'application/json' }),
        },
        // encodeArgs writes an integer beyond 2^53 (a bigint here) with all its digits.
        body: upload ? request.body : encodeArgs(request.body).text,
        signal: controller.signal,
      });
      return { status: response.status, text: await response.text() };
    } catch {
      // Connection refused, reset, DNS, timeout: status 0 means "no answer".
      return { status: 0, text: null };
    } finally {
      clearTimeout(timer);
    }
  }
}

function offlineError() {
  const error = new Error('offline: sync goes on when the network is back');
  error.code = 'NETWORK';
  error.details = { offline: true };
  return error;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
