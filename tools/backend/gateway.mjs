// A thin stand-in for the Supabase API in front of a real PostgreSQL: the
// RPC part of PostgREST and its table insert/upsert (synced tables), the
// upload/read part of Storage, a demo GoTrue, Realtime's WebSocket for
// Broadcast from the database (realtime.mjs), the
// gateway's apikey check, bounded fault injection for sync tests, and a
// bounded log of the requests it saw (what tests count, e.g. uploads).
//
// CLI:  node tools/backend/gateway.mjs --db <authenticator connection string> --jwt-secret S [--port N]
//       node tools/backend/gateway.mjs mint --secret S --sub <uuid> [--role r] [--expires-in s]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAuth, DEMO_USERS } from './auth.mjs';
import { fromPgError, pgrstError } from './errors.mjs';
import { createFaults } from './faults.mjs';
import { BodyTooLarge, CORS_HEADERS, deeperThan, isLoopback, MAX_JSON_DEPTH, readBody, sleep } from './http-util.mjs';
import { JwtError, mintToken, verifyJwt } from './jwt.mjs';
import { callRpc, RpcError } from './rpc.mjs';
import { withRequestTx } from './request-tx.mjs';
import { createSchemaCache, insertRows, readRequest, RestError } from './rest-tables.mjs';
import { createRealtime, REALTIME_PATH } from './realtime.mjs';
import { createStorage, STORAGE_MAX_BYTES, StorageError } from './storage.mjs';

export { mintToken } from './jwt.mjs';

const REST_MAX_BYTES = 16 * 1024 * 1024;
const REQUEST_LOG_MAX = 10_000;
const TEN_YEARS = 10 * 365 * 24 * 3600;
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

const json = (status, body, headers = {}) => ({ status, body, headers });
// A /rest/v1 request's body as text, or the 413 answer when it is too large.
async function restBody(req) {
  try {
    return (await readBody(req, REST_MAX_BYTES)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      return json(413, pgrstError('PGRST413', `Payload too large: the request body exceeds ${REST_MAX_BYTES} bytes`));
    }
    throw err;
  }
}
// PostgreSQL's JSON parser would run out of stack (a 5xx a client retries
// forever); the request itself is at fault, so 400.
const tooDeep = () => json(400, pgrstError('PGRST102', `Invalid json: nested deeper than ${MAX_JSON_DEPTH} levels`));

// Kong's key-auth answers before anything else sees the request.
function checkApiKey(req, url, keys) {
  const key = req.headers.apikey ?? url.searchParams.get('apikey');
  if (!key) {
    return json(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
  }
  if (!keys.includes(key)) {
    return json(401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
  }
  return null;
}

function bearer(req) {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : '';
}

export async function createGateway({
  connectionString,
  jwtSecret,
  anonKey,
  serviceKey,
  port = 0,
  host = '127.0.0.1',
  storageDir,
  users = DEMO_USERS,
  poolSize = 10,
  log = () => {},
} = {}) {
  if (!connectionString) throw new Error('createGateway needs the authenticator connection string');
  if (!jwtSecret || jwtSecret.length < 32) throw new Error('createGateway needs a JWT secret of at least 32 characters');
  anonKey ??= mintToken({ secret: jwtSecret, role: 'anon', expiresIn: TEN_YEARS });
  serviceKey ??= mintToken({ secret: jwtSecret, role: 'service_role', expiresIn: TEN_YEARS });
  const ownStorageDir = !storageDir;
  storageDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-store-storage-'));

  const pool = new pg.Pool({ connectionString, max: poolSize, options: '-c TimeZone=UTC' });
  pool.on('error', (err) => log(`[gateway] idle connection error: ${err.message}`));
  const faults = createFaults();
  const auth = createAuth({ jwtSecret, users });
  const storage = createStorage({ pool, root: storageDir });
  const schemaCache = createSchemaCache(pool);
  const apiKeys = [anonKey, serviceKey];

  // {method, path, status, fault?}: status 0 when no answer was sent (a
  // dropped request), fault names the injected fault that hit it.
  const requestLog = [];
  const requests = {
    /** The logged requests, oldest first, optionally only those matching {method, path prefix}. */
    list({ method, pathPrefix } = {}) {
      return requestLog.filter((r) => (!method || r.method === method) && (!pathPrefix || r.path.startsWith(pathPrefix)))
        .map((r) => ({ ...r }));
    },
    clear() { requestLog.length = 0; },
  };
  const logRequest = (req, url, status, fault) => {
    requestLog.push(fault ? { method: req.method, path: url.pathname, status, fault } : { method: req.method, path: url.pathname, status });
    if (requestLog.length > REQUEST_LOG_MAX) requestLog.splice(0, requestLog.length - REQUEST_LOG_MAX);
  };

  /** Verified {role, claims}, or a ready error response. */
  function authenticate(req, url, flavor) {
    const token = bearer(req) ?? req.headers.apikey ?? url.searchParams.get('apikey');
    try {
      const claims = verifyJwt(token ?? '', jwtSecret);
      const role = typeof claims.role === 'string' ? claims.role : 'anon';
      if (!API_ROLES.has(role)) {
        return { error: json(401, pgrstError('PGRST301', `JWT role "${role}" is not allowed`)) };
      }
      return { role, claims };
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      if (flavor === 'storage') {
        return { error: json(400, { statusCode: '400', error: 'InvalidJWT', message: err.message }) };
      }
      return {
        error: json(401, pgrstError(err.code, err.message), {
          'www-authenticate': `Bearer error="invalid_token", error_description="${err.message}"`,
        }),
      };
    }
  }

  /** PostgREST's checks before any /rest/v1 route: apikey, schema, JWT. {who} or {error}. */
  function restCaller(req, url) {
    const denied = checkApiKey(req, url, apiKeys);
    if (denied) return { error: denied };
    const profile = req.headers['content-profile'] ?? req.headers['accept-profile'];
    if (profile && profile !== 'public') {
      return { error: json(406, pgrstError('PGRST106', 'The schema must be one of the following: public')) };
    }
    const who = authenticate(req, url, 'rest');
    return who.error ? { error: who.error } : { who };
  }

  async function rpc(req, url, fnName) {
    const { who, error } = restCaller(req, url);
    if (error) return error;

    let args;
    let text;  // a POST body's JSON, whose values are bound as sent
    if (req.method === 'GET') {
      args = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'apikey'));
    } else if (req.method === 'POST') {
      const raw = await restBody(req);
      if (typeof raw !== 'string') return raw;
      try {
        args = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        return json(400, pgrstError('PGRST102', 'Empty or invalid json'));
      }
      if (deeperThan(args, MAX_JSON_DEPTH)) return tooDeep();
      if (raw.trim() !== '') text = raw;
    } else {
      return json(405, pgrstError('PGRST101', 'Only GET and POST verbs are allowed for functions'));
    }

    const ctx = { role: who.role, claims: who.claims, method: req.method, path: url.pathname };
    const once = () => withRequestTx(pool, ctx, (c) => callRpc(c, fnName, args, text));
    try {
      if (faults.take('duplicate')) {
        // The first delivery commits (or fails) on its own; the client only
        // ever sees the second, like a proxy that retried behind its back.
        await once().catch(() => {});
      }
      const out = await once();
      return { status: out.status, body: out.text, headers: {} };
    } catch (err) {
      if (err instanceof RpcError) return json(err.status, err.body);
      const { status, body } = fromPgError(err, who.role);
      const headers = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      return json(status, body, headers);
    }
  }

  // POST /rest/v1/<table>: supabase-js insert()/upsert() (rest-tables.mjs).
  async function table(req, url, name) {
    const { who, error } = restCaller(req, url);
    if (error) return error;
    const meta = (await schemaCache()).get(name);
    if (!meta) {
      return json(404, pgrstError('PGRST205', `Could not find the table 'public.${name}' in the schema cache`,
        { hint: 'this local gateway serves the synced tables only' }));
    }
    if (req.method !== 'POST') {
      return json(405, pgrstError('PGRST117', `Unsupported HTTP method: ${req.method}`,
        { hint: 'this local gateway serves POST (insert/upsert) on tables, nothing else' }));
    }
    const raw = await restBody(req);
    if (typeof raw !== 'string') return raw;
    try {
      const request = readRequest(name, meta, raw, url, req.headers.prefer);
      const ctx = { role: who.role, claims: who.claims, method: req.method, path: url.pathname };
      const out = await withRequestTx(pool, ctx, (c) => insertRows(c, name, meta, request));
      return { status: out.status, body: out.text, headers: out.headers };
    } catch (err) {
      if (err instanceof RestError) return json(err.status, err.body);
      const { status, body } = fromPgError(err, who.role);
      return json(status, body, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
  }

  async function storageRoute(req, url, rest) {
    // rest: ['public'|'authenticated'|bucket, ...]
    const decode = (parts) => parts.map((p) => decodeURIComponent(p)).join('/');
    try {
      if ((req.method === 'GET' || req.method === 'HEAD') && rest[0] === 'public') {
        const file = await storage.read({ bucketId: decodeURIComponent(rest[1] ?? ''), name: decode(rest.slice(2)) });
        return { status: 200, body: req.method === 'HEAD' ? '' : file.data, headers: file.headers };
      }
      const denied = checkApiKey(req, url, apiKeys);
      if (denied) return denied;
      const who = authenticate(req, url, 'storage');
      if (who.error) return who.error;
      const authCtx = { role: who.role, claims: who.claims };
      if (req.method === 'GET') {
        const parts = rest[0] === 'authenticated' ? rest.slice(1) : rest;
        const file = await storage.read({ bucketId: decodeURIComponent(parts[0] ?? ''), name: decode(parts.slice(1)), auth: authCtx });
        return { status: 200, body: file.data, headers: file.headers };
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        const body = await readBody(req, STORAGE_MAX_BYTES);
        // PUT is supabase-js update(): always replaces. POST honours x-upsert.
        const upsert = req.method === 'PUT' || String(req.headers['x-upsert']).toLowerCase() === 'true';
        const out = await storage.upload({
          req, body, auth: authCtx, bucketId: decodeURIComponent(rest[0] ?? ''), name: decode(rest.slice(1)), upsert,
        });
        return json(200, out);
      }
      return json(405, { statusCode: '405', error: 'MethodNotAllowed', message: 'Method not allowed' });
    } catch (err) {
      if (err instanceof StorageError) return json(err.status, err.body);
      if (err instanceof BodyTooLarge) {
        return json(413, { statusCode: '413', error: 'Payload too large', message: 'The object exceeded the maximum allowed size' });
      }
      throw err;
    }
  }

  async function authRoute(req, url, rest) {
    if (rest[0] === 'health') return json(200, { name: 'GoTrue (campaign-store demo)', description: 'ok' });
    const denied = checkApiKey(req, url, apiKeys);
    if (denied) return denied;
    if (rest[0] === 'token' && req.method === 'POST') {
      let body = {};
      const raw = (await readBody(req, 64 * 1024)).toString('utf8');
      try { body = raw ? JSON.parse(raw) : {}; } catch { return json(400, { code: 400, error_code: 'bad_json', msg: 'Could not parse request body as JSON' }); }
      const out = auth.token(url.searchParams.get('grant_type'), body);
      return json(out.status, out.body);
    }
    if (rest[0] === 'user' && req.method === 'GET') {
      const who = authenticate(req, url, 'rest');
      if (who.error) return json(401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' });
      const out = auth.user(who.claims);
      return json(out.status, out.body);
    }
    if (rest[0] === 'logout' && req.method === 'POST') {
      const who = authenticate(req, url, 'rest');
      if (who.error) return json(401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' });
      const out = auth.logout(who.claims, url.searchParams.get('scope') ?? 'global');
      return out.status === 204 ? { status: 204, body: '', headers: {} } : json(out.status, out.body);
    }
    return json(404, { code: 404, error_code: 'not_found', msg: 'Not found' });
  }

  // Admin: loopback peers with a service_role token only; never faulted.
  async function faultsRoute(req, url) {
    if (!isLoopback(req.socket.remoteAddress)) return json(403, { message: 'loopback only' });
    const who = authenticate(req, url, 'rest');
    if (who.error || who.role !== 'service_role') return json(403, { message: 'service_role token required' });
    try {
      if (req.method === 'POST') {
        const raw = (await readBody(req, 4096)).toString('utf8');
        return json(200, faults.set(raw ? JSON.parse(raw) : {}));
      }
      if (req.method === 'DELETE') return json(200, faults.reset());
      return json(200, faults.get());
    } catch (err) {
      return json(400, { message: err.message });
    }
  }

  async function route(req, url) {
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/health') return json(200, { status: 'ok' });
    if (parts[0] === 'rest' && parts[1] === 'v1') {
      if (parts[2] === 'rpc' && parts.length === 4) return rpc(req, url, decodeURIComponent(parts[3]));
      if (parts.length === 3 && parts[2] !== 'rpc') return table(req, url, decodeURIComponent(parts[2]));
      const denied = checkApiKey(req, url, apiKeys);
      if (denied) return denied;
      if (parts.length === 2) return json(200, { status: 'ok', service: 'campaign-store gateway', rpc: '/rest/v1/rpc/<fn>' });
      return json(404, pgrstError('PGRST125', `Invalid path specified in request URL`,
        { hint: 'this local gateway serves /rest/v1/rpc/<fn> and POST /rest/v1/<synced table>' }));
    }
    if (parts[0] === 'storage' && parts[1] === 'v1' && parts[2] === 'object') return storageRoute(req, url, parts.slice(3));
    if (parts[0] === 'auth' && parts[1] === 'v1') return authRoute(req, url, parts.slice(2));
    return json(404, { message: 'no Route matched with those values' });
  }

  function write(res, out) {
    const isBuffer = Buffer.isBuffer(out.body);
    const text = isBuffer || typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    const headers = { ...CORS_HEADERS, ...out.headers };
    if (!isBuffer && !headers['content-type'] && out.status !== 204) headers['content-type'] = 'application/json; charset=utf-8';
    if (out.status !== 204) headers['content-length'] ??= Buffer.byteLength(text);
    res.writeHead(out.status, headers);
    res.end(out.status === 204 ? undefined : text);
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://gateway.invalid');
    if (req.method === 'OPTIONS') return write(res, { status: 204, body: '', headers: {} });
    if (url.pathname === '/__faults') return write(res, await faultsRoute(req, url));
    if (url.pathname !== '/health') {
      const delay = faults.takeDelay();
      if (delay) await sleep(delay);
      if (faults.take('drop')) {
        logRequest(req, url, 0, 'drop');
        req.socket.destroy();
        return;
      }
      if (faults.take('fail503')) {
        logRequest(req, url, 503, 'fail503');
        return write(res, json(503, { message: 'Service Unavailable', hint: 'injected fault' }));
      }
    }
    const loseResponse = url.pathname !== '/health' && faults.take('dropResponse');
    const out = await route(req, url);
    if (loseResponse) {
      logRequest(req, url, out.status, 'dropResponse');
      req.socket.destroy();
      return;
    }
    logRequest(req, url, out.status);
    write(res, out);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`[gateway] ${req.method} ${req.url}: ${err.stack ?? err}`);
      if (res.headersSent) { res.destroy(); return; }
      const status = err instanceof BodyTooLarge ? 413 : 500;
      write(res, json(status, pgrstError(status === 413 ? 'PGRST413' : 'PGRSTX00', err.message)));
    });
  });
  server.on('clientError', (err, socket) => socket.destroy());
  const realtime = createRealtime({ server, pool, connectionString, jwtSecret, apiKeys, log });
  try {
    await realtime.ready();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (err) {
    await realtime.close();
    await pool.end();
    throw err;
  }
  const actualPort = server.address().port;
  const url = `http://${host}:${actualPort}`;
  log(`[gateway] listening on ${url}`);

  let closed = false;
  return {
    url,
    port: actualPort,
    anonKey,
    serviceKey,
    jwtSecret,
    faults,
    requests,
    users,
    storageDir,
    /** ws://…/realtime/v1 (what realtime-js is given; supabase-js derives it from url). */
    realtimeUrl: `ws://${host}:${actualPort}${REALTIME_PATH.replace(/\/websocket$/, '')}`,
    /** Open Realtime sockets right now. */
    get realtimeSockets() { return realtime.sockets; },
    mintToken: (opts) => mintToken({ secret: jwtSecret, ...opts }),
    async close() {
      if (closed) return;
      closed = true;
      await realtime.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
      if (ownStorageDir) fs.rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'mint') {
    const { values } = parseArgs({
      args: process.argv.slice(3),
      options: {
        secret: { type: 'string', default: process.env.JWT_SECRET }, sub: { type: 'string' },
        role: { type: 'string', default: 'authenticated' }, email: { type: 'string' },
        'expires-in': { type: 'string', default: '3600' },
      },
    });
    if (!values.secret) { console.error('mint needs --secret or JWT_SECRET'); process.exit(2); }
    console.log(mintToken({ secret: values.secret, sub: values.sub, role: values.role, email: values.email,
      expiresIn: Number(values['expires-in']) }));
  } else {
    const { values } = parseArgs({
      options: {
        db: { type: 'string', default: process.env.GATEWAY_DB },
        'jwt-secret': { type: 'string', default: process.env.JWT_SECRET },
        port: { type: 'string', default: process.env.GATEWAY_PORT ?? '0' },
      },
    });
    if (!values.db) { console.error('usage: gateway.mjs --db <authenticator connection string> [--jwt-secret S] [--port N]'); process.exit(2); }
    const jwtSecret = values['jwt-secret'] ?? randomBytes(32).toString('hex');
    const gw = await createGateway({ connectionString: values.db, jwtSecret, port: Number(values.port), log: console.error });
    console.log(JSON.stringify({ url: gw.url, anonKey: gw.anonKey, serviceKey: gw.serviceKey, jwtSecret }, null, 2));
    const stop = async () => { await gw.close(); process.exit(0); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
