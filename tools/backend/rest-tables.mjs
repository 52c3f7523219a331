// The slice of PostgREST's table endpoints that supabase-js `from(t).insert()`
// and `.upsert()` use: POST /rest/v1/<table> with a JSON object or array,
// `Prefer: resolution=merge-duplicates|ignore-duplicates`,
// `return=minimal|representation`, `missing=default`, and the `on_conflict`,
// `columns` and `select` query parameters. Synced tables only.
//
// Runs inside the request transaction (request-tx.mjs) as the caller's role
// with `request.jwt.claims`, so grants and RLS decide as on Supabase. SQL
// identifiers come from the schema cache below (pg_catalog), never from the
// request as such: a column the request names must be one of the table's.
// Every value is a bound parameter.
import { pgrstError } from './errors.mjs';
import { topLevelParts } from './json-parts.mjs';
import { deeperThan, MAX_JSON_DEPTH } from './http-util.mjs';
import { withRequestTx } from './request-tx.mjs';

export const MAX_ROWS = 5000;

const quoteIdent = (name) => `"${String(name).replace(/"/g, '""')}"`;

export class RestError extends Error {
  constructor(status, body) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

const SCHEMA = `
  select c.relname as table_name,
         array_agg(a.attname::text order by a.attnum) as columns,
         (select array_agg(pa.attname::text order by k.ord)
            from pg_catalog.pg_constraint p
            cross join lateral unnest(p.conkey) with ordinality as k(attnum, ord)
            join pg_catalog.pg_attribute pa on pa.attrelid = p.conrelid and pa.attnum = k.attnum
           where p.conrelid = c.oid and p.contype = 'p') as primary_key
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where n.nspname = 'public' and c.relname in (select name from sync.tables)
  group by c.oid, c.relname`;

/**
 * The schema cache (what PostgREST loads at start): the synced tables'
 * columns and primary keys, read once with service rights.
 */
export function createSchemaCache(pool) {
  let loading = null;
  return () => {
    loading ??= withRequestTx(pool, { role: 'service_role', claims: { role: 'service_role' } }, (c) => c.query(SCHEMA))
      .then(({ rows }) => new Map(rows.map((r) => [r.table_name, { columns: r.columns, primaryKey: r.primary_key ?? [] }])))
      .catch((err) => { loading = null; throw err; });
    return loading;
  };
}

/** Prefer header(s) -> {resolution, return, missing}; unknown preferences are ignored (PostgREST's lenient handling). */
export function parsePrefer(header) {
  const out = {};
  const values = Array.isArray(header) ? header.join(',') : String(header ?? '');
  for (const part of values.split(',')) {
    const [key, value] = part.trim().split('=').map((s) => s?.trim());
    if (key === 'resolution' && (value === 'merge-duplicates' || value === 'ignore-duplicates')) out.resolution = value;
    else if (key === 'return' && (value === 'minimal' || value === 'representation' || value === 'headers-only')) out.return = value;
    else if (key === 'missing' && (value === 'default' || value === 'null')) out.missing = value;
  }
  return out;
}

// "a,b" / "\"a\",\"b\"" -> ['a', 'b'].
function columnList(text) {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^".*"$/.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s));
}

function unknownColumn(table, column) {
  return new RestError(400, pgrstError('PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`));
}

function checkColumns(table, meta, names) {
  for (const name of names) if (!meta.columns.includes(name)) throw unknownColumn(table, name);
  return names;
}

/**
 * Builds the INSERT for `rows` (objects) of `table`. Each row is one bound
 * JSON parameter, turned into the table's row type by json_populate_record,
 * so values convert exactly as PostgREST converts them.
 */
export function buildInsert(table, meta, rows, { columns, onConflict, prefer, select, rawRows }) {
  const cols = checkColumns(table, meta, columns);
  const target = `public.${quoteIdent(table)}`;
  // Each row as the text it was sent as (rawRows), so every digit arrives.
  const params = rows.map((r, i) => rawRows?.[i] ?? JSON.stringify(r));
  const values = rows.map((row, i) => `(${cols.map((c) => {
    if (Object.prototype.hasOwnProperty.call(row, c)) return `(json_populate_record(null::${target}, $${i + 1}::json)).${quoteIdent(c)}`;
    return prefer.missing === 'default' ? 'DEFAULT' : 'NULL';
  }).join(', ')})`);
  let sql = `insert into ${target} as _t (${cols.map(quoteIdent).join(', ')}) values ${values.join(', ')}`;
  if (prefer.resolution) {
    const keys = onConflict ? checkColumns(table, meta, columnList(onConflict)) : meta.primaryKey;
    const updates = cols.filter((c) => !keys.includes(c)).map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`);
    sql += ` on conflict (${keys.map(quoteIdent).join(', ')})`;
    sql += prefer.resolution === 'ignore-duplicates' || updates.length === 0 ? ' do nothing' : ` do update set ${updates.join(', ')}`;
  }
  if (prefer.return === 'representation') {
    const picked = select === '*' ? null : checkColumns(table, meta, columnList(select));
    const row = picked ? `json_build_object(${picked.map((c) => `'${c.replace(/'/g, "''")}', _t.${quoteIdent(c)}`).join(', ')})` : 'to_json(_t.*)';
    sql = `with _ins as (${sql} returning ${row} as _row) select coalesce(json_agg(_row), '[]')::text as body from _ins`;
  }
  return { sql, params };
}

/** Validates the request's body and query; returns what buildInsert needs. */
export function readRequest(table, meta, raw, url, preferHeader) {
  let body;
  try {
    body = raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch {
    throw new RestError(400, pgrstError('PGRST102', 'Empty or invalid json'));
  }
  if (deeperThan(body, MAX_JSON_DEPTH)) {
    throw new RestError(400, pgrstError('PGRST102', `Invalid json: nested deeper than ${MAX_JSON_DEPTH} levels`));
  }
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!(isObject(body) || (Array.isArray(body) && body.every(isObject)))) {
    throw new RestError(400, pgrstError('PGRST102', 'Empty or invalid json'));
  }
  const rows = Array.isArray(body) ? body : [body];
  if (rows.length > MAX_ROWS) {
    throw new RestError(413, pgrstError('PGRST413', `At most ${MAX_ROWS} rows per request on this local gateway`));
  }
  let columns;
  if (url.searchParams.has('columns')) {
    columns = columnList(url.searchParams.get('columns'));
  } else {
    // Without ?columns, every object must have the first one's keys.
    columns = Object.keys(rows[0] ?? {});
    const same = (r) => { const k = Object.keys(r); return k.length === columns.length && k.every((c) => columns.includes(c)); };
    if (!rows.every(same)) throw new RestError(400, pgrstError('PGRST102', 'All object keys must match'));
  }
  const prefer = parsePrefer(preferHeader);
  const select = url.searchParams.get('select') ?? '*';
  if (select !== '*' && !/^\s*("?[A-Za-z_][A-Za-z0-9_]*"?\s*,\s*)*"?[A-Za-z_][A-Za-z0-9_]*"?\s*$/.test(select)) {
    throw new RestError(400, pgrstError('PGRST100', `"failed to parse select parameter (${select})"`,
      { details: 'this local gateway selects plain columns or *' }));
  }
  if (rows.length > 0) checkColumns(table, meta, columns);
  const rawRows = Array.isArray(body) ? topLevelParts(raw) : [raw];
  return { rows, rawRows, columns, onConflict: url.searchParams.get('on_conflict'), prefer, select };
}

/**
 * Runs the insert on `client` (inside the request transaction).
 * Returns {status, text, headers}.
 */
export async function insertRows(client, table, meta, request) {
  const applied = [request.prefer.resolution && `resolution=${request.prefer.resolution}`,
    request.prefer.missing && `missing=${request.prefer.missing}`,
    request.prefer.return && `return=${request.prefer.return}`].filter(Boolean).join(', ');
  const headers = applied ? { 'preference-applied': applied } : {};
  const representation = request.prefer.return === 'representation';
  if (request.rows.length === 0 || request.columns.length === 0) {
    // Nothing to write (PostgREST answers an empty array the same way).
    return { status: 201, text: representation ? '[]' : '', headers };
  }
  const { sql, params } = buildInsert(table, meta, request.rows, request);
  const { rows } = await client.query(sql, params);
  if (representation) return { status: 201, text: rows[0].body, headers };
  return { status: 201, text: '', headers };
}
