// Offline images on every device: blobs the user's rows reference by their
// public Storage URL (what sync writes once a device uploaded them,
// <url>/storage/v1/object/public/<bucket>/<userId>/<sha256>) are downloaded
// into the local blob store, so store.blobs.objectUrl serves local bytes on a
// device that never had them, offline included.
//
// The work list is the database itself: every referenced hash with no local
// bytes, in the URL columns and inside the JSON columns (a campaign's
// legacy_data, a draft's step data). Nothing else is kept, so a run cut off
// by a closed tab resumes on the next one. Only this project's Storage is
// fetched (a row pointing elsewhere is left alone), the bytes must hash to
// the name they were fetched under, at most `concurrency` downloads run at a
// time, and none starts once the local blobs would pass `maxBytes`.
// A blob that failed for a reason a retry cannot cure (404, a wrong hash,
// over the budget) is not tried again until the store reopens; a network
// error ends the run, and the next cycle starts another.

const DEFAULTS = { concurrency: 3, maxBytes: Infinity, timeoutMs: 60_000 };

// Where the rows keep Storage URLs: [table, column, JSON document?].
const SOURCES = [
  ['product_images', 'url', false],
  ['background_versions', 'url', false],
  ['creative_assets', 'url', false],
  ['campaigns', 'legacy_data', true],
  ['campaign_drafts', 'step_data', true],
];

const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export class BlobDownloads {
  /**
   * @param {object} o
   * @param {(op: string, args?: object) => Promise<any>} o.call   the store's door
   * @param {string} o.url      the Supabase project URL
   * @param {typeof fetch} [o.fetch]
   * @param {() => boolean} [o.online]
   * @param {() => void} [o.onProgress]     the remaining count changed
   * @param {(level: string, message: string, details?: object) => void} [o.log]
   * @param {Partial<typeof DEFAULTS>} [o.options]
   */
  constructor({ call, url, fetch: fetchImpl, online, onProgress, log, options }) {
    this.call = call;
    this.prefix = `${url.replace(/\/+$/, '')}/storage/v1/object/public/`;
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.online = online ?? (() => true);
    this.onProgress = onProgress ?? (() => {});
    this.log = log ?? (() => {});
    this.options = { ...DEFAULTS, ...options };
    this.failed = new Set();   // hashes not to try again in this session
    this.remaining = 0;        // referenced blobs with no local bytes (after the last look)
    this.downloaded = 0;       // by this session
    this.running = null;
    this.again = false;
    this.stopped = false;
  }

  /** Looks for missing blobs and downloads them; one run at a time, a call during one runs again after it. */
  run() {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().catch((err) => {
      this.log('warn', `blob downloads stopped: ${err?.message ?? err}`);
    }).finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.run();
      }
    });
    return this.running;
  }

  stop() {
    this.stopped = true;
  }

  /** [{hash, url}] of the referenced blobs this device has no bytes for. */
  async missing() {
    const like = `${this.prefix.replace(/[\\%_]/g, '\\$&')}%`;
    const selects = SOURCES.map(([table, column, isJson]) => (isJson
      ? `SELECT j.value AS url FROM "${table}" AS t, json_tree(t."${column}") AS j
           WHERE instr(t."${column}", '/storage/v1/object/public/') > 0 AND j.type = 'text' AND j.value LIKE ?1 ESCAPE '\\'`
      : `SELECT "${column}" AS url FROM "${table}" WHERE "${column}" LIKE ?1 ESCAPE '\\'`));
    const { rows } = await this.call('sql.query', { sql: selects.join(' UNION '), params: [like] });
    const wanted = new Map();
    for (const { url } of rows) {
      const m = /^[^?#]*\/([0-9a-f]{64})(?:[?#]|$)/.exec(url);
      if (m && !wanted.has(m[1])) wanted.set(m[1], url.replace(/[?#].*$/, ''));
    }
    if (wanted.size === 0) return [];
    const hashes = [...wanted.keys()];
    const { rows: have } = await this.call('sql.query', {
      sql: 'SELECT hash FROM blobs WHERE hash IN (SELECT value FROM json_each(?1))',
      params: [JSON.stringify(hashes)],
    });
    const local = new Set(have.map((r) => r.hash));
    return hashes.filter((h) => !local.has(h)).map((hash) => ({ hash, url: wanted.get(hash) }));
  }

  async pass() {
    const todo = await this.missing();
    this.setRemaining(todo.length);
    const queue = todo.filter((b) => !this.failed.has(b.hash));
    let used = await this.localBytes();
    let networkDown = false;
    const worker = async () => {
      while (queue.length && !this.stopped && !networkDown && this.online()) {
        const blob = queue.shift();
        const outcome = await this.download(blob, () => used);
        if (outcome.ok) {
          used += outcome.size;
          this.downloaded++;
          this.setRemaining(this.remaining - 1);
        } else if (outcome.network) {
          networkDown = true;
        } else {
          this.failed.add(blob.hash);
          this.log('warn', `blob ${blob.hash} not downloaded: ${outcome.reason}`, { url: blob.url });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
  }

  async localBytes() {
    const { rows } = await this.call('sql.query', { sql: 'SELECT coalesce(sum(size), 0) AS n FROM blobs' });
    return Number(rows[0].n);
  }

  setRemaining(n) {
    if (n === this.remaining) return;
    this.remaining = Math.max(0, n);
    this.onProgress();
  }

  /** {ok, size} | {network: true} | {reason} */
  async download({ hash, url }, used) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let response;
    let bytes;
    try {
      response = await this.fetch(url, { signal: controller.signal });
      if (response.status >= 500 || response.status === 429 || response.status === 408) return { network: true };
      if (!response.ok) return { reason: `HTTP ${response.status}` };
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && used() + declared > this.options.maxBytes) {
        controller.abort();
        return { reason: `over the blob budget (maxBytes ${this.options.maxBytes})` };
      }
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch {
      return { network: true };  // offline, reset, timeout
    } finally {
      clearTimeout(timer);
    }
    if (used() + bytes.byteLength > this.options.maxBytes) {
      return { reason: `over the blob budget (maxBytes ${this.options.maxBytes})` };
    }
    const actual = hex(await crypto.subtle.digest('SHA-256', bytes));
    if (actual !== hash) return { reason: `the bytes hash to ${actual}, not to the name they were fetched under` };
    const mime = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    await this.call('blobs.put', mime ? { bytes, mime } : { bytes });
    return { ok: true, size: bytes.byteLength };
  }
}
