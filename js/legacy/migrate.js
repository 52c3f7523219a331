// The migration driver on the main thread: collects the legacy keys, and
// hands them to the engine one group per call (products, sample_data,
// campaigns, saved_campaigns, backgrounds, drafts) in dependency order. Each
// call commits its groups, so progress can be reported between calls and a
// worker killed half-way leaves whole groups; the next run skips what is
// already migrated (by value hash) and finishes. The last call returns the
// validated report of the whole run. Within a call, a large key's rows are
// reported as the engine writes them ('items' events), when the door can
// carry them (call.onLegacyProgress: the store client, engineCaller).
import { collectLegacyStorage, pageLocalStorage } from './collect.js';
import { GROUP_ORDER, groupOf } from './keys.js';
import { localTimeZone } from './timezone.js';

/**
 * @param {(op: string, args: object) => Promise<any> | any} call the store's (or an engine's) door
 * @param {{
 *   localStorage?: Storage,
 *   onProgress?: (event: {phase: string, group?: string, done: number, total: number, units: number, unitsDone: number,
 *     key?: string, itemsDone?: number, itemsTotal?: number}) => void,
 *   timeZone?: object,
 *   measureOtherKeys?: boolean,
 *   incremental?: boolean,
 * }} [options] incremental: false re-reads every product of a changed products key (benchmarks)
 * @returns {Promise<object|null>} the report, or null when there is nothing to migrate
 */
export async function migrateLegacyStorage(call, options = {}) {
  const storage = 'localStorage' in options ? options.localStorage : pageLocalStorage();
  const collected = collectLegacyStorage(storage, { measureOtherKeys: options.measureOtherKeys });
  const progress = (event) => {
    try { options.onProgress?.(event); } catch { /* a progress hook must not break the migration */ }
  };
  if (!collected.available || collected.entries.length === 0) return null;

  const groups = new Map(GROUP_ORDER.map((g) => [g, []]));
  for (const e of collected.entries) groups.get(groupOf(e.key)).push(e);
  const calls = [...groups].filter(([, entries]) => entries.length > 0);
  const units = collected.units;
  const timeZone = options.timeZone ?? localTimeZone();
  let unitsDone = 0;
  let runId = 0;
  let report = null;
  let current = { group: null, done: 0 };
  // Inside a large key, the engine reports its rows as it writes them.
  const off = typeof call.onLegacyProgress === 'function'
    ? call.onLegacyProgress((e) => progress({
      phase: 'items', group: current.group, key: e.key, step: e.step, itemsDone: e.done, itemsTotal: e.total,
      done: current.done, total: calls.length, units, unitsDone,
    }))
    : null;
  progress({ phase: 'collected', done: 0, total: calls.length, units, unitsDone, keys: collected.entries.length });
  try {
    for (let i = 0; i < calls.length; i++) {
      const [group, entries] = calls[i];
      const last = i === calls.length - 1;
      current = { group, done: i };
      progress({ phase: 'migrating', group, done: i, total: calls.length, units, unitsDone });
      const args = { entries, timeZone, final: last };
      if (options.incremental === false) args.incremental = false;
      if (runId) args.runId = runId;
      if (last) args.otherKeys = collected.otherKeys;
      const result = await call('legacy.import', args);
      unitsDone += entries.reduce((n, e) => n + e.key.length + e.value.length, 0);
      if (last) report = result;
      else runId = result.runId;
    }
  } finally {
    off?.();
  }
  progress({ phase: 'done', done: calls.length, total: calls.length, units, unitsDone, ok: report?.ok ?? false });
  return report;
}
