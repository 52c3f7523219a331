// What this build of campaign-store offers beyond the data API. The demo runs
// on every build of the module: the parts other issues are still adding (the
// legacy migration, the blob store, the sync loop) are detected here, and
// every assumption about their shape lives in this one file.
//
//   store.migration.report()            -> the last migration's report, or null
//   store.migration.releaseLegacyKeys({includeUnmigrated}) -> removes the migrated localStorage keys, {released, kept}
//   store.blobs.put(bytes, mime)        -> {ref: "blob:sha256:<hex>", ...}: the reference image rows keep
//   store.blobs.objectUrl(ref)          -> an object URL for an <img> (also: url(ref))
//   store.blobs.stats()                 -> {count, bytes}
//   store.sync.start() / stop() / now() / status() (+ subscribe(cb) or on('status', cb))

const fn = (obj, ...names) => {
  for (const name of names) if (typeof obj?.[name] === 'function') return obj[name].bind(obj);
  return null;
};

/** The migration API, or null when this build has none. */
export function migrationApi(store) {
  const m = store?.migration;
  const report = fn(m, 'report');
  if (!report) return null;
  return {
    report,
    releaseLegacyKeys: fn(m, 'releaseLegacyKeys') ?? fn(store, 'releaseLegacyKeys'),
  };
}

/** The blob store, or null. Each member may be null when this build lacks it. */
export function blobsApi(store) {
  const b = store?.blobs;
  if (!b || typeof b !== 'object') return null;
  return {
    put: fn(b, 'put'),
    objectUrl: fn(b, 'objectUrl', 'url'),
    stats: fn(b, 'stats'),
  };
}

/** The sync controller (start/stop/now/status), or null when this build only has the engine's sync ops. */
export function syncApi(store) {
  const s = store?.sync;
  if (!fn(s, 'start')) return null;
  return {
    start: fn(s, 'start'),
    stop: fn(s, 'stop'),
    now: fn(s, 'now'),
    status: fn(s, 'status'),
    /** Status events, if the build sends them; returns an unsubscribe function (or null). */
    onStatus(cb) {
      const sub = fn(s, 'subscribe', 'onStatus');
      if (sub) return toOff(sub(cb));
      const on = fn(s, 'on', 'addEventListener');
      if (on) {
        const off = on('status', cb);
        return toOff(off) ?? (() => fn(s, 'off', 'removeEventListener')?.('status', cb));
      }
      return null;
    },
  };
}

function toOff(value) {
  return typeof value === 'function' ? value : null;
}

/** True when openCampaignStore refused the sync option because this build cannot send it to its worker. */
export function isSyncOptionUnsupported(err) {
  return err?.code === 'INVALID_ARGUMENT' && /cannot send arguments/.test(String(err?.message));
}
