// The gateway's pure parts, without a database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpStatusForSqlState } from '../../tools/backend/errors.mjs';
import { createFaults } from '../../tools/backend/faults.mjs';
import { topLevelParts } from '../../tools/backend/json-parts.mjs';
import { JwtError, mintToken, signJwt, verifyJwt } from '../../tools/backend/jwt.mjs';

const SECRET = 's'.repeat(40);

test('jwt: round trip, expiry with 30 s skew, tampering', () => {
  const token = mintToken({ secret: SECRET, sub: 'u1', role: 'authenticated', expiresIn: 60 });
  const claims = verifyJwt(token, SECRET);
  assert.equal(claims.sub, 'u1');
  assert.equal(claims.role, 'authenticated');

  const now = Date.now() / 1000;
  const justExpired = signJwt({ role: 'anon', exp: Math.floor(now) - 10 }, SECRET);
  assert.equal(verifyJwt(justExpired, SECRET).role, 'anon', 'within the skew');
  const expired = signJwt({ role: 'anon', exp: Math.floor(now) - 31 }, SECRET);
  assert.throws(() => verifyJwt(expired, SECRET), (e) => e instanceof JwtError && e.code === 'PGRST303');

  const [h, , s] = token.split('.');
  const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'service_role' })).toString('base64url');
  assert.throws(() => verifyJwt(`${h}.${body}.${s}`, SECRET), (e) => e.code === 'PGRST301');
  assert.throws(() => verifyJwt(token, 't'.repeat(40)), (e) => e.code === 'PGRST301');
});

test('errors: PostgREST status table', () => {
  assert.equal(httpStatusForSqlState('23505'), 409);
  assert.equal(httpStatusForSqlState('23503'), 409);
  assert.equal(httpStatusForSqlState('23502'), 400);
  assert.equal(httpStatusForSqlState('P0001'), 400);
  assert.equal(httpStatusForSqlState('P0002'), 500);
  assert.equal(httpStatusForSqlState('42501', 'anon'), 401);
  assert.equal(httpStatusForSqlState('42501', 'authenticated'), 403);
  assert.equal(httpStatusForSqlState('42883'), 404);
  assert.equal(httpStatusForSqlState('08006'), 503);
  assert.equal(httpStatusForSqlState('53300'), 503);
  assert.equal(httpStatusForSqlState('53400'), 500);
  assert.equal(httpStatusForSqlState('40001'), 500);
  assert.equal(httpStatusForSqlState('PT418'), 418);
  assert.equal(httpStatusForSqlState('22P02'), 400);
});

test('faults: counts decrement to zero and stay there', () => {
  const f = createFaults();
  f.set({ fail503: 2, delayMs: 5, delayCount: 1 });
  assert.equal(f.take('fail503'), true);
  assert.equal(f.take('fail503'), true);
  assert.equal(f.take('fail503'), false);
  assert.equal(f.takeDelay(), 5);
  assert.equal(f.takeDelay(), 0);
  assert.throws(() => f.set({ drop: -1 }), RangeError);
  assert.throws(() => f.set({ drop: 1.5 }), RangeError);
  assert.deepEqual(f.get(), { drop: 0, dropResponse: 0, fail503: 0, duplicate: 0, delayCount: 0, delayMs: 5 });
});

test('json-parts: each top-level part is the text it was sent as, for random documents and spacing', () => {
  let seed = 20261205;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const space = () => [' ', '\n', '\t', '\r', ''][rand(5)];
  const strings = ['', 'a', 'q"uote', 'back\\slash', '{[,:]}', 'é\u2028', '\\"'];
  // A random value, written with random spacing (what a client may send).
  function write(depth) {
    switch (depth > 3 ? rand(4) : rand(6)) {
      case 0: return String([0, -1, 1.5, 1152921504606846977n, -1e-7, 12345678.91][rand(6)]);
      case 1: return JSON.stringify(strings[rand(strings.length)]);
      case 2: return ['true', 'false', 'null'][rand(3)];
      case 3: return JSON.stringify(`k${rand(9)}`);
      case 4: return `[${space()}${Array.from({ length: rand(4) }, () => write(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
      default: return `{${space()}${Array.from({ length: rand(4) },
        () => `${JSON.stringify(strings[rand(strings.length)])}${space()}:${space()}${write(depth + 1)}`).join(`${space()},`)}${space()}}`;
    }
  }
  for (let i = 0; i < 500; i++) {
    const members = Array.from({ length: rand(5) }, (_, k) => [`m${k % 3}`, write(1)]);
    const object = `${space()}{${space()}${members.map(([k, v]) => `"${k}"${space()}:${space()}${v}`).join(`${space()},${space()}`)}${space()}}${space()}`;
    const parts = topLevelParts(object);
    const expected = new Map(members);  // a repeated name: the last wins, as in JSON.parse
    assert.deepEqual([...parts.keys()].sort(), [...expected.keys()].sort(), object);
    for (const [k, v] of expected) assert.equal(parts.get(k), v, object);
    assert.deepEqual(Object.fromEntries([...parts].map(([k, v]) => [k, JSON.parse(v)])), JSON.parse(object));

    const items = Array.from({ length: rand(5) }, () => write(1));
    assert.deepEqual(topLevelParts(`${space()}[${space()}${items.join(`${space()},${space()}`)}${space()}]`), items);
  }
  assert.equal(topLevelParts('"text"'), null);
  assert.equal(topLevelParts(' 12 '), null);
});
