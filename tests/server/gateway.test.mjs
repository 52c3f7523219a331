// The gateway speaks PostgREST/Kong/GoTrue: apikey check, JWT verification
// with PostgREST's error codes, per-request role and claims, RPC argument
// binding, error mapping, CORS, and the demo password grant.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBackend } from '../../tools/backend/backend.mjs';
import { signJwt } from '../../tools/backend/jwt.mjs';
import { rpc, superuser, uuid } from './helpers.mjs';

let be;
let db;

before(async () => {
  be = await startBackend();
  db = await superuser(be);
  // Test-only probes, created in this throwaway database (not migrations).
  await db.query(`
    create function public.whoami() returns jsonb language sql stable as $$
      select jsonb_build_object('uid', auth.uid(), 'role', current_user, 'claims', auth.jwt(),
                                'legacy_sub', current_setting('request.jwt.claim.sub', true))
    $$;
    create function public.echo_body(jsonb) returns jsonb language sql as $$ select $1 $$;
    create function public.add(a integer, b integer default 10) returns integer language sql as $$ select a + b $$;
    create function public.fail_with(state text) returns void language plpgsql as $$
      begin raise exception using errcode = state, message = 'failed on purpose', hint = 'test hint'; end $$;
    create function public.nothing() returns void language sql as $$ select $$;
    grant execute on function public.whoami(), public.echo_body(jsonb), public.add(integer, integer),
      public.fail_with(text), public.nothing() to anon, authenticated;
  `);
});

after(async () => {
  await db?.end();
  await be?.stop();
});

describe('JWT and apikey', () => {
  test('missing apikey -> 401 before anything else', async () => {
    const r = await rpc(be, 'whoami', {}, { apikey: null, token: be.mintToken({ sub: uuid() }) });
    assert.equal(r.status, 401);
    assert.equal(r.body.message, 'No API key found in request');
  });

  test('unknown apikey -> 401', async () => {
    const r = await rpc(be, 'whoami', {}, { apikey: 'not-a-key' });
    assert.equal(r.status, 401);
    assert.equal(r.body.message, 'Invalid API key');
  });

  test('expired token -> 401 PGRST303 "JWT expired"', async () => {
    const r = await rpc(be, 'whoami', {}, { token: be.mintToken({ sub: uuid(), expiresIn: -120 }) });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' });
    assert.match(r.headers.get('www-authenticate'), /invalid_token/);
  });

  test('bad signature, garbage and alg=none -> 401 PGRST301', async () => {
    const forged = signJwt({ sub: uuid(), role: 'authenticated', exp: Date.now() / 1000 + 60 }, 'x'.repeat(40));
    const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: uuid(), role: 'service_role' })).toString('base64url');
    for (const token of [forged, 'garbage', `${head}.${body}.`]) {
      const r = await rpc(be, 'whoami', {}, { token });
      assert.equal(r.status, 401, token);
      assert.equal(r.body.code, 'PGRST301', token);
    }
  });

  test('a role outside anon/authenticated/service_role is refused', async () => {
    const r = await rpc(be, 'whoami', {}, { token: be.mintToken({ sub: uuid(), role: 'postgres' }) });
    assert.equal(r.status, 401);
  });

  test('claims reach auth.uid() via request.jwt.claims only, and never leak between requests', async () => {
    const sub = uuid();
    const mine = await rpc(be, 'whoami', {}, { token: be.mintToken({ sub, email: 'a@b.c' }) });
    assert.equal(mine.status, 200);
    assert.equal(mine.body.uid, sub);
    assert.equal(mine.body.role, 'authenticated');
    assert.equal(mine.body.claims.email, 'a@b.c');
    assert.ok(mine.body.legacy_sub === null || mine.body.legacy_sub === '', 'legacy request.jwt.claim.sub must not be set');
    // Several anon calls on the pooled connections: none inherits the user.
    for (let i = 0; i < 12; i++) {
      const anon = await rpc(be, 'whoami', {});
      assert.equal(anon.body.uid, null);
      assert.equal(anon.body.role, 'anon');
    }
    const svc = await rpc(be, 'whoami', {}, { token: be.serviceKey });
    assert.equal(svc.body.role, 'service_role');
  });
});

describe('RPC dispatch', () => {
  test('body keys are named arguments; defaults apply', async () => {
    assert.equal((await rpc(be, 'add', { a: 1, b: 2 })).body, 3);
    assert.equal((await rpc(be, 'add', { b: 2, a: 5 })).body, 7);
    assert.equal((await rpc(be, 'add', { a: 1 })).body, 11);
  });

  test('a single unnamed jsonb parameter receives the whole body', async () => {
    const payload = { deep: { list: [1, 'two', null] }, n: 1.5 };
    const r = await rpc(be, 'echo_body', payload);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, payload);
  });

  test('unknown function or argument -> 404 PGRST202', async () => {
    for (const [fn, args] of [['no_such_fn', {}], ['add', { a: 1, c: 3 }]]) {
      const r = await rpc(be, fn, args);
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 'PGRST202');
    }
  });

  test('void functions answer 204', async () => {
    const res = await fetch(`${be.url}/rest/v1/rpc/nothing`, { method: 'POST', headers: { apikey: be.anonKey }, body: '{}' });
    assert.equal(res.status, 204);
  });

  test('invalid JSON -> 400 PGRST102', async () => {
    const res = await fetch(`${be.url}/rest/v1/rpc/add`, {
      method: 'POST', headers: { apikey: be.anonKey, 'content-type': 'application/json' }, body: '{"a":',
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, 'PGRST102');
  });

  test('SQLSTATEs map to PostgREST statuses with {code,message,details,hint}', async () => {
    const cases = [['P0001', 400], ['23505', 409], ['23503', 409], ['42501', 401], ['22023', 400], ['PT402', 402], ['XX000', 500]];
    for (const [state, status] of cases) {
      const r = await rpc(be, 'fail_with', { state });
      assert.equal(r.status, status, state);
      assert.deepEqual(Object.keys(r.body).sort(), ['code', 'details', 'hint', 'message'], state);
      assert.equal(r.body.code, state);
      assert.equal(r.body.message, 'failed on purpose');
      assert.equal(r.body.hint, 'test hint');
    }
    const authed = await rpc(be, 'fail_with', { state: '42501' }, { token: be.mintToken({ sub: uuid() }) });
    assert.equal(authed.status, 403, '42501 is 403 for a signed-in role');
  });

  test('only the public schema is exposed', async () => {
    const r = await rpc(be, 'whoami', {}, { headers: { 'content-profile': 'sync' } });
    assert.equal(r.status, 406);
    assert.equal(r.body.code, 'PGRST106');
    const hidden = await rpc(be, 'apply_change', {}, { token: be.mintToken({ sub: uuid() }) });
    assert.equal(hidden.status, 404, 'sync.* helpers are not reachable');
  });
});

describe('HTTP surface', () => {
  test('CORS preflight and headers for a browser on another origin', async () => {
    const pre = await fetch(`${be.url}/rest/v1/rpc/sync_pull`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey, authorization, content-type, x-client-info' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    for (const h of ['apikey', 'authorization', 'content-type', 'x-client-info', 'x-upsert']) {
      assert.match(pre.headers.get('access-control-allow-headers'), new RegExp(h));
    }
    const r = await rpc(be, 'add', { a: 1 });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  test('health routes', async () => {
    assert.equal((await fetch(`${be.url}/health`)).status, 200);
    assert.equal((await fetch(`${be.url}/rest/v1/`, { headers: { apikey: be.anonKey } })).status, 200);
    assert.equal((await fetch(`${be.url}/rest/v1/`)).status, 401);
  });
});

describe('demo auth', () => {
  const signIn = (email, password) => fetch(`${be.url}/auth/v1/token?grant_type=password`, {
    method: 'POST', headers: { apikey: be.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

  test('password grant returns a session whose token works for RPC', async () => {
    const [demo] = be.users;
    const res = await signIn(demo.email, demo.password);
    assert.equal(res.status, 200);
    const s = await res.json();
    assert.equal(s.token_type, 'bearer');
    assert.equal(s.user.id, demo.id);
    assert.equal(s.user.email, demo.email);
    assert.ok(s.expires_in > 0 && s.refresh_token);
    const me = await rpc(be, 'whoami', {}, { token: s.access_token });
    assert.equal(me.body.uid, demo.id);

    const refreshed = await fetch(`${be.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST', headers: { apikey: be.anonKey }, body: JSON.stringify({ refresh_token: s.refresh_token }),
    });
    assert.equal(refreshed.status, 200);
    const reuse = await fetch(`${be.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST', headers: { apikey: be.anonKey }, body: JSON.stringify({ refresh_token: s.refresh_token }),
    });
    assert.equal(reuse.status, 400, 'refresh tokens rotate');
  });

  test('wrong password -> 400 invalid_credentials', async () => {
    const res = await signIn(be.users[0].email, 'wrong');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error_code, 'invalid_credentials');
  });
});
