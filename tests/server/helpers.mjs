// Shared helpers for the server tests: raw HTTP calls against the gateway,
// clocks, and direct database sessions that act like PostgREST would.
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { startBackend } from '../../tools/backend/backend.mjs';

export const uuid = () => randomUUID();

/** An HLC string `ms-counter-node`; ms is relative to a fixed recent base. */
export const BASE_MS = Date.now() - 60_000;
export function hlc(offsetMs, counter = 0, node = 'node-a') {
  return `${String(BASE_MS + offsetMs).padStart(13, '0')}-${String(counter).padStart(5, '0')}-${node}`;
}

/** POST /rest/v1/rpc/<fn> with raw fetch. Returns { status, body, headers }. */
export async function rpc(be, fn, args, { token, apikey = be.anonKey, headers = {} } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (apikey !== null) h.apikey = apikey;
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(`${be.url}/rest/v1/rpc/${fn}`, { method: 'POST', headers: h, body: JSON.stringify(args ?? {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A signed-in user of the backend: id, token and push/pull shortcuts. */
export function user(be, id = uuid()) {
  const token = be.mintToken({ sub: id, role: 'authenticated' });
  return {
    id,
    token,
    push(clientId, changes) {
      return rpc(be, 'sync_push', { client_id: clientId, changes }, { token });
    },
    pull(cursor = null, limit = 1000) {
      return rpc(be, 'sync_pull', { cursor, limit }, { token });
    },
    /** Pulls pages until has_more is false (bounded); returns { changes, cursor }. */
    async pullAll(cursor = null, limit = 1000, maxPages = 50) {
      const changes = [];
      for (let i = 0; i < maxPages; i++) {
        const r = await rpc(be, 'sync_pull', { cursor, limit }, { token });
        if (r.status !== 200) throw new Error(`pull failed: ${r.status} ${JSON.stringify(r.body)}`);
        changes.push(...r.body.changes);
        cursor = r.body.cursor;
        if (!r.body.has_more) return { changes, cursor };
      }
      throw new Error('pullAll: too many pages');
    },
  };
}

export function upsert(mutationId, table, id, clock, row) {
  return { mutation_id: mutationId, table, id, op: 'upsert', hlc: clock, row };
}

export function del(mutationId, table, id, clock) {
  return { mutation_id: mutationId, table, id, op: 'delete', hlc: clock };
}

/** Superuser connection for inspecting what really is stored. */
export async function superuser(be) {
  const client = new pg.Client({ connectionString: be.pg.connectionString });
  await client.connect();
  return client;
}

/**
 * A local backend and a superuser connection to it for this test file:
 * started before its tests (handed to `ready({be, db})`), stopped after.
 */
export function useBackend(ready) {
  let be = null;
  let db = null;
  before(async () => {
    be = await startBackend();
    db = await superuser(be);
    ready({ be, db });
  });
  after(async () => {
    await db?.end();
    await be?.stop();
  });
}

/**
 * Opens a transaction on `client` set up the way the gateway does for a
 * request by `sub` (role + request.jwt.claims, both transaction-local).
 */
export async function beginAs(client, sub, role = 'authenticated') {
  await client.query('begin');
  await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)",
    [role, JSON.stringify({ sub, role })]);
}
