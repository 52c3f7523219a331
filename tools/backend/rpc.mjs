// PostgREST-style RPC: find public.<fn> whose argument names fit the JSON
// body, call it with named arguments bound as parameters, return its result
// as JSON. Identifiers in the SQL text come from pg_catalog, never from the
// request; request values are always bind parameters.
import { pgrstError } from './errors.mjs';
import { topLevelParts } from './json-parts.mjs';

const quoteIdent = (name) => `"${String(name).replace(/"/g, '""')}"`;

const LOOKUP = `
  select p.proname, p.pronargdefaults, p.proretset,
         p.prorettype = 'pg_catalog.void'::regtype as returns_void,
         coalesce(p.proargnames, '{}') as argnames,
         coalesce(p.proargmodes::text[], '{}') as argmodes,
         array(select pg_catalog.format_type(t, null)
               from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) as t) as argtypes
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname = $1 and p.prokind = 'f'`;

function inputArgs(fn) {
  const args = [];
  fn.argtypes.forEach((type, i) => {
    const mode = fn.argmodes[i] ?? 'i';
    if (mode === 'i' || mode === 'b' || mode === 'v') args.push({ name: fn.argnames[i] ?? '', type });
  });
  // Defaults belong to the trailing input arguments.
  args.forEach((a, i) => { a.hasDefault = i >= args.length - fn.pronargdefaults; });
  return args;
}

// A body value as a bind parameter: JSON documents and numbers as the text
// they were sent as (`raw`, json-parts.mjs), so every digit arrives.
function toParam(value, type, raw) {
  if (value === null || value === undefined) return null;
  if (type === 'json' || type === 'jsonb' || typeof value === 'object') return raw ?? JSON.stringify(value);
  if (typeof value === 'number' && raw !== undefined) return raw;
  return String(value);
}

export class RpcError extends Error {
  constructor(status, body) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

/** Picks the overload PostgREST would, or throws RpcError 404/300. */
function resolve(fnName, candidates, body) {
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  const keys = isObject ? Object.keys(body) : [];
  const fits = candidates.filter((fn) => {
    const args = inputArgs(fn);
    if (!isObject) return false;
    const names = new Set(args.map((a) => a.name));
    return keys.every((k) => names.has(k)) &&
      args.every((a) => a.hasDefault || keys.includes(a.name));
  }).map((fn) => ({ fn, single: false }));
  if (fits.length === 0) {
    const single = candidates.filter((fn) => {
      const args = inputArgs(fn);
      return args.length === 1 && !args[0].name && (args[0].type === 'json' || args[0].type === 'jsonb');
    });
    if (single.length === 1) return { fn: single[0], single: true };
  }
  if (fits.length === 1) return fits[0];
  if (fits.length > 1) {
    throw new RpcError(300, pgrstError('PGRST203',
      `Could not choose the best candidate function between: ${fits.map((f) => `public.${f.fn.proname}`).join(', ')}`,
      { hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved' }));
  }
  const list = keys.join(', ');
  throw new RpcError(404, pgrstError('PGRST202',
    `Could not find the function public.${fnName}(${list}) in the schema cache`,
    { details: `Searched for the function public.${fnName} with parameters ${list || '(none)'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.` }));
}

/**
 * Runs the RPC on `client` (already inside the request transaction).
 * `raw`: the body's text when it came as JSON (values are bound from it).
 * Returns { status, text } where text is the JSON body (or '' for 204).
 */
export async function callRpc(client, fnName, body, raw = undefined) {
  const { rows: candidates } = await client.query(LOOKUP, [fnName]);
  const { fn, single } = resolve(fnName, candidates, body ?? {});
  const args = inputArgs(fn);
  const params = [];
  const named = [];
  if (single) {
    params.push(raw ?? JSON.stringify(body));
    named.push(`$1::${args[0].type}`);
  } else {
    const parts = raw === undefined ? null : topLevelParts(raw);
    for (const a of args) {
      if (!Object.prototype.hasOwnProperty.call(body, a.name)) continue;
      params.push(toParam(body[a.name], a.type, parts?.get(a.name)));
      named.push(`${quoteIdent(a.name)} => $${params.length}::${a.type}`);
    }
  }
  const call = `public.${quoteIdent(fn.proname)}(${named.join(', ')})`;
  if (fn.returns_void) {
    await client.query(`select ${call}`, params);
    return { status: 204, text: '' };
  }
  const sql = fn.proretset
    ? `select coalesce(json_agg(_r), '[]')::text as body from ${call} as _r`
    : `select to_json(${call})::text as body`;
  const { rows } = await client.query(sql, params);
  return { status: 200, text: rows[0].body ?? 'null' };
}
