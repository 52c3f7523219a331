// Builds the store's method surface from a single `call(op, args)` function
// and the methods the op table describes (methods.generated.js, made by
// tools/gen-ops.mjs). The same builder makes the real store and the
// recording view a live query runs against (live-query.js), so both have
// exactly the same methods.
import { CampaignStoreError } from '../errors.js';
import { METHODS } from './methods.generated.js';

/** entity -> method -> parameters, for the ops whose method has a namespace. */
export const ENTITIES = Object.freeze(Object.entries(METHODS).reduce((entities, [op, params]) => {
  const dot = op.indexOf('.');
  if (dot > 0) (entities[op.slice(0, dot)] ??= {})[op.slice(dot + 1)] = params;
  return entities;
}, {}));

/** @param {(op: string, args?: object, options?: {int64?: string}) => Promise<any>} call */
export function buildApi(call) {
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
  for (const [op, params] of Object.entries(METHODS)) {
    const dot = op.indexOf('.');
    if (dot < 0) api[op] = method(call, op, params);
    else (api[op.slice(0, dot)] ??= {})[op.slice(dot + 1)] = method(call, op, params);
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

/** Positional values -> the op's args object (parameters as in methods.generated.js). */
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
