// Builds the store's method surface from a single `call(op, args)` function
// and the table in entities.js. The same builder makes the real store and
// the recording view a live query runs against (live-query.js), so both have
// exactly the same methods.
import { CampaignStoreError } from '../errors.js';
import { ENTITIES, TOP_LEVEL } from './entities.js';

// Names an entity namespace must not take over on the store object.
const RESERVED = new Set(['call', 'open', 'sql', 'batch', 'subscribe', 'liveQuery', 'close', 'terminate', 'info', 'account']);

/**
 * @param {(op: string, args?: object, options?: {int64?: string}) => Promise<any>} call
 * @param {string[]} [extraOps] op names the core lists (from `ops`)
 */
export function buildApi(call, extraOps = []) {
  const api = {
    call,
    sql: {
      /**
       * Read-only statements; rows are objects keyed by column name.
       * options.int64: how integers beyond 2^53 - 1 come back (README "Values").
       */
      query: (sql, params, options) => call('sql.query', params === undefined ? { sql } : { sql, params }, options),
      /** Writes; resolves with {changes, lastInsertRowid}. */
      exec: (sql, params, options) => call('sql.exec', params === undefined ? { sql } : { sql, params }, options),
    },
    /** Runs every op in one transaction: all commit or none. */
    batch: (ops, options) => call('batch', { ops }, options),
  };
  for (const [name, params] of Object.entries(TOP_LEVEL)) api[name] = method(call, name, params);
  for (const [entity, methods] of Object.entries(ENTITIES)) {
    api[entity] = {};
    for (const [name, params] of Object.entries(methods)) {
      api[entity][name] = method(call, `${entity}.${name}`, params);
    }
  }
  // Ops the table above does not know yet: one args object, passed as is.
  for (const op of extraOps) {
    const dot = op.indexOf('.');
    if (dot < 0) {
      if (!(op in api) && !RESERVED.has(op)) api[op] = (args) => call(op, args ?? {});
      continue;
    }
    const entity = op.slice(0, dot);
    const name = op.slice(dot + 1);
    if (RESERVED.has(entity) || entity === 'sql') continue;
    api[entity] ??= {};
    api[entity][name] ??= (args) => call(op, args ?? {});
  }
  return api;
}

function method(call, op, params) {
  return (...values) => {
    let args;
    try {
      args = argsFrom(op, params, values);
    } catch (err) {
      return Promise.reject(err);  // methods always answer with a promise
    }
    return call(op, args);
  };
}

/** Positional values -> the op's args object (see entities.js). */
export function argsFrom(op, params, values) {
  const args = {};
  const named = [];
  params.forEach((param, i) => {
    const optional = param.endsWith('?');
    const name = optional ? param.slice(0, -1) : param;
    const value = values[i];
    if (value === undefined) {
      if (!optional && !name.startsWith('...')) {
        throw new CampaignStoreError('INVALID_ARGUMENT', `${op}: ${name} is required`, { op, field: name });
      }
      return;
    }
    if (name.startsWith('...')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new CampaignStoreError('INVALID_ARGUMENT', `${op}: ${name.slice(3)} must be an object`,
          { op, field: name.slice(3) });
      }
      Object.assign(args, value);
    } else {
      named.push([name, value]);
    }
  });
  for (const [name, value] of named) args[name] = value;
  return args;
}
