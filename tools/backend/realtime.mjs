// The Realtime part of the gateway: Supabase Realtime's WebSocket endpoint
// (/realtime/v1/websocket) speaking the Phoenix channel protocol as
// Realtime does, for Broadcast from the database only (what the store uses).
//
//   socket   ?apikey=<anon or service key>&vsn=1.0.0|2.0.0 (a bad key: 401 before the upgrade)
//   phoenix  heartbeat -> phx_reply ok
//   phx_join {config: {private, ...}, access_token}: the token is verified
//            (HS256, exp), and a private channel needs the RLS policies on
//            realtime.messages to let the token's role read the topic,
//            checked as Realtime does: a probe message inserted and selected
//            with role, request.jwt.claims and realtime.topic set, then rolled
//            back. Errors reply {status: 'error', response: {reason}}.
//   access_token  a new token for a joined channel: verified and authorized
//            again; an invalid one closes the channel (system error, phx_close)
//   expiry   when a channel's token expires: system error, then phx_close
//   phx_leave  replied ok, the channel is gone
//
// Messages come from the database: realtime.messages' trigger (the shim)
// NOTIFYs `realtime_messages` at commit, and each is pushed to the channels
// joined to its topic with the same privacy (private messages to private
// channels only), as event `broadcast` with {type, event, payload, meta: {id}}
// (vsn 2.0.0: Realtime's binary user-broadcast frame).
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { JwtError, verifyJwt } from './jwt.mjs';

export const REALTIME_PATH = '/realtime/v1/websocket';
const LISTEN_CHANNEL = 'realtime_messages';
const LISTEN_RETRY_MS = [100, 250, 500, 1000, 2000];
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * @param {{server: import('node:http').Server, pool: pg.Pool, connectionString: string,
 *   jwtSecret: string, apiKeys: string[], log: (line: string) => void}} o
 */
export function createRealtime({ server, pool, connectionString, jwtSecret, apiKeys, log }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  /** Every open connection. @type {Set<Connection>} */
  const connections = new Set();
  let listener = null;
  let closed = false;
  let listenReady = null;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://gateway.invalid');
    if (url.pathname !== REALTIME_PATH) return refuse(socket, 404, { message: 'no Route matched with those values' });
    const key = url.searchParams.get('apikey') ?? req.headers.apikey;
    if (!key || !apiKeys.includes(key)) return refuse(socket, 401, { message: 'Invalid API key' });
    const vsn = url.searchParams.get('vsn') ?? '1.0.0';
    if (vsn !== '1.0.0' && vsn !== '2.0.0') return refuse(socket, 400, { message: `unsupported vsn ${vsn}` });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, vsn, key, context);
      connections.add(conn);
      ws.on('close', () => { conn.dispose(); connections.delete(conn); });
    });
  });

  const context = {
    jwtSecret,
    log,
    authorize: (claims, topic) => authorizeRead(pool, claims, topic),
  };

  async function listen() {
    for (let attempt = 0; !closed; attempt++) {
      const client = new pg.Client({ connectionString });
      try {
        await client.connect();
        await client.query(`listen ${LISTEN_CHANNEL}`);
      } catch (err) {
        await client.end().catch(() => {});
        if (closed) return;
        log(`[realtime] LISTEN failed (${err.message}); retrying`);
        await new Promise((r) => setTimeout(r, LISTEN_RETRY_MS[Math.min(attempt, LISTEN_RETRY_MS.length - 1)]));
        continue;
      }
      if (closed) { await client.end().catch(() => {}); return; }
      listener = client;
      client.on('notification', (n) => { deliver(n.payload).catch((err) => log(`[realtime] delivery: ${err.message}`)); });
      client.on('error', (err) => {
        log(`[realtime] LISTEN connection lost: ${err.message}`);
        if (listener === client) listener = null;
        client.end().catch(() => {});
        if (!closed) listenReady = listen();
      });
      return;
    }
  }
  listenReady = listen();

  async function deliver(text) {
    let message = JSON.parse(text);
    if (message.topic === undefined) message = await readMessage(pool, message.id);
    if (!message || message.extension !== 'broadcast') return;
    for (const conn of connections) conn.broadcast(message);
  }

  return {
    /** Resolves once the database listener is up (messages committed from then on are delivered). */
    ready: () => listenReady,
    /** How many sockets are open (tests). */
    get sockets() { return connections.size; },
    async close() {
      closed = true;
      for (const conn of connections) conn.ws.terminate();
      connections.clear();
      await new Promise((resolve) => wss.close(resolve));
      await listener?.end().catch(() => {});
    },
  };
}

function refuse(socket, status, body) {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
    `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

// A message NOTIFY could not carry whole (too large): read it as service_role.
async function readMessage(pool, id) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local role service_role');
    const { rows } = await client.query(
      'select id, topic, event, private, extension, payload from realtime.messages where id = $1', [id]);
    await client.query('commit');
    return rows[0] ?? null;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

// Realtime's read check for a private channel: may this role, with these
// claims, select a broadcast message of `topic` under RLS?
async function authorizeRead(pool, claims, topic) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local role service_role');
    const { rows: [probe] } = await client.query(
      "insert into realtime.messages (topic, extension, event, private) values ($1, 'broadcast', 'probe', true) returning id",
      [topic]);
    await client.query(`set local role ${claims.role}`);
    await client.query(
      "select set_config('realtime.topic', $1, true), set_config('request.jwt.claims', $2, true)",
      [topic, JSON.stringify(claims)]);
    const { rows } = await client.query('select 1 from realtime.messages where id = $1', [probe.id]);
    return rows.length > 0;
  } finally {
    // Rolled back: the probe never commits, so no NOTIFY is sent for it.
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

// {claims} of a token Realtime accepts, or {reason} worded as Realtime does
// ("InvalidJWTToken: Token has expired 3 seconds ago"). Realtime allows no
// clock skew on exp.
function tokenProblem(token, secret) {
  const malformed = { reason: 'MalformedJWT: The token provided is not a valid JWT' };
  if (typeof token !== 'string' || token.split('.').length !== 3) return malformed;
  let claims;
  try {
    claims = verifyJwt(token, secret);
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    if (err.message === 'JWT expired') claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    else if (err.message === 'Parsing claims failed' || err.message.startsWith('JWT cryptographic')) return malformed;
    else return { reason: 'JwtSignatureError: Failed to validate JWT signature' };
  }
  if (typeof claims.exp !== 'number' || typeof claims.role !== 'string') {
    return { reason: 'InvalidJWTToken: Fields `role` and `exp` are required in JWT' };
  }
  const left = claims.exp - Math.floor(Date.now() / 1000);
  if (left <= 0) return { reason: `InvalidJWTToken: Token has expired ${-left} seconds ago` };
  if (!API_ROLES.has(claims.role)) return { reason: `Unauthorized: role ${claims.role} is not allowed` };
  return { claims };
}

class Connection {
  /** topic -> {joinRef, subTopic, private, token, claims, timer} */
  channels = new Map();

  constructor(ws, vsn, apiKey, context) {
    this.ws = ws;
    this.vsn = vsn;
    this.apiKey = apiKey;
    this.ctx = context;
    this.queue = Promise.resolve();   // one client message at a time, in order
    ws.on('message', (data, isBinary) => {
      this.queue = this.queue.then(() => this.receive(data, isBinary)).catch((err) => {
        this.ctx.log(`[realtime] ${err.stack ?? err}`);
      });
    });
  }

  dispose() {
    for (const ch of this.channels.values()) clearTimeout(ch.timer);
    this.channels.clear();
  }

  send(joinRef, ref, topic, event, payload) {
    if (this.ws.readyState !== 1) return;
    this.ws.send(this.vsn === '2.0.0'
      ? JSON.stringify([joinRef ?? null, ref ?? null, topic, event, payload])
      : JSON.stringify({ join_ref: joinRef ?? null, ref: ref ?? null, topic, event, payload }));
  }

  reply(msg, status, response = {}) {
    this.send(msg.join_ref, msg.ref, msg.topic, 'phx_reply', { status, response });
  }

  async receive(data, isBinary) {
    if (isBinary) return;  // client broadcasts (binary in vsn 2.0.0) are not served
    let msg;
    try {
      const raw = JSON.parse(data.toString('utf8'));
      msg = Array.isArray(raw) ? { join_ref: raw[0], ref: raw[1], topic: raw[2], event: raw[3], payload: raw[4] } : raw;
    } catch {
      return;  // Phoenix drops what it cannot decode
    }
    if (typeof msg?.topic !== 'string' || typeof msg.event !== 'string') return;
    if (msg.topic === 'phoenix') {
      if (msg.event === 'heartbeat') this.reply(msg, 'ok');
      return;
    }
    switch (msg.event) {
      case 'phx_join': return this.join(msg);
      case 'phx_leave': {
        this.close(msg.topic, false);
        this.reply(msg, 'ok');
        return;
      }
      case 'access_token': return this.refresh(msg);
      default: return;  // broadcast/presence from clients: not served by this stand-in
    }
  }

  async join(msg) {
    const payload = msg.payload ?? {};
    const subTopic = msg.topic.startsWith('realtime:') ? msg.topic.slice('realtime:'.length) : msg.topic;
    const isPrivate = payload.config?.private === true;
    const token = payload.access_token ?? this.apiKey;
    this.close(msg.topic, false);  // a second join replaces the first
    const checked = await this.check(token, subTopic, isPrivate);
    if (checked.reason) return this.reply(msg, 'error', { reason: checked.reason });
    const channel = { joinRef: msg.join_ref ?? msg.ref, subTopic, private: isPrivate, token, claims: checked.claims, timer: null };
    this.channels.set(msg.topic, channel);
    this.armExpiry(msg.topic, channel);
    this.reply(msg, 'ok', { postgres_changes: [] });
  }

  async refresh(msg) {
    const channel = this.channels.get(msg.topic);
    const token = msg.payload?.access_token;
    if (!channel || typeof token !== 'string' || token === channel.token || token.startsWith('sb_')) return;
    const checked = await this.check(token, channel.subTopic, channel.private);
    if (this.channels.get(msg.topic) !== channel) return;
    if (checked.reason) return this.shutdown(msg.topic, checked.reason.replace(/^\w+: /, ''));
    channel.token = token;
    channel.claims = checked.claims;
    this.armExpiry(msg.topic, channel);
  }

  /** {claims} when `token` may join `subTopic`, else {reason}. */
  async check(token, subTopic, isPrivate) {
    const verdict = tokenProblem(token, this.ctx.jwtSecret);
    if (verdict.reason) return verdict;
    if (isPrivate) {
      let allowed;
      try {
        allowed = await this.ctx.authorize(verdict.claims, subTopic);
      } catch (err) {
        this.ctx.log(`[realtime] authorization: ${err.message}`);
        return { reason: 'UnableToSetPolicies: Realtime was unable to connect to the project database' };
      }
      if (!allowed) return { reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}` };
    }
    return { claims: verdict.claims };
  }

  armExpiry(topic, channel) {
    clearTimeout(channel.timer);
    const ms = Math.max(0, channel.claims.exp * 1000 - Date.now());
    channel.timer = setTimeout(() => {
      if (this.channels.get(topic) !== channel) return;
      const ago = Math.max(0, Math.floor(Date.now() / 1000) - channel.claims.exp);
      this.shutdown(topic, `Token has expired ${ago} seconds ago`);
    }, Math.min(ms, 2 ** 31 - 1));
  }

  /** Realtime's shutdown_response: a system error, then the channel closes. */
  shutdown(topic, message) {
    const channel = this.channels.get(topic);
    if (!channel) return;
    this.send(channel.joinRef, null, topic, 'system',
      { extension: 'system', status: 'error', message, channel: channel.subTopic });
    this.close(topic, true);
  }

  close(topic, tellClient) {
    const channel = this.channels.get(topic);
    if (!channel) return;
    clearTimeout(channel.timer);
    this.channels.delete(topic);
    if (tellClient) this.send(channel.joinRef, null, topic, 'phx_close', {});
  }

  broadcast(message) {
    for (const [topic, channel] of this.channels) {
      if (channel.subTopic !== message.topic || channel.private !== (message.private === true)) continue;
      const meta = { id: message.id };
      if (this.vsn === '2.0.0') {
        this.ws.send(userBroadcastFrame(topic, message.event ?? '', meta, message.payload ?? {}));
      } else {
        this.send(null, null, topic, 'broadcast',
          { type: 'broadcast', event: message.event, payload: message.payload ?? {}, meta });
      }
    }
  }
}

// Realtime's vsn 2.0.0 server broadcast: kind 4, sizes of topic, event and
// metadata, the payload's encoding (1 = JSON), then the strings and payload.
function userBroadcastFrame(topic, event, meta, payload) {
  const parts = [topic, event, JSON.stringify(meta)].map((s) => Buffer.from(s, 'utf8'));
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const header = Buffer.from([4, parts[0].length, parts[1].length, parts[2].length, 1]);
  return Buffer.concat([header, ...parts, body]);
}
