// One HTTP request = one transaction, set up exactly like PostgREST >= 12:
// `role` and `request.jwt.claims` via set_config(..., true), i.e. SET LOCAL,
// so nothing leaks to the next request on a pooled connection. The legacy
// `request.jwt.claim.sub` is never set: auth.uid() must read the claims JSON.

export async function withRequestTx(pool, { role, claims, method = 'POST', path = '' }, fn) {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true),
              set_config('request.jwt.claims', $2, true),
              set_config('request.method', $3, true),
              set_config('request.path', $4, true)`,
      [role, JSON.stringify(claims ?? {}), method, path]);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    try {
      await client.query('rollback');
    } catch {
      broken = true; // connection is unusable: drop it from the pool
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
