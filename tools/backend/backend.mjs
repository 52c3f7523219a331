// The whole local backend: a fresh PostgreSQL with the migrations applied
// and the gateway in front of it.
//
//   import { startBackend } from './tools/backend/backend.mjs';
//   const be = await startBackend();
//   // be.url, be.anonKey, be.mintToken({ sub }), be.faults.set({ fail503: 1 }), be.pg.connectionString,
//   // be.requests.list({ method: 'POST', pathPrefix: '/storage/' }) (what the gateway saw)
//   await be.stop();
//
// CLI: node tools/backend/backend.mjs [--port 54321] [--jwt-secret S] [--write backend.json]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGateway } from './gateway.mjs';
import { startPostgres } from './pg.mjs';

export async function startBackend({ port = 0, jwtSecret, log = () => {} } = {}) {
  jwtSecret ??= randomBytes(32).toString('hex');
  const db = await startPostgres();
  let gateway;
  try {
    gateway = await createGateway({ connectionString: db.authenticator.connectionString, jwtSecret, port, log });
  } catch (err) {
    await db.stop();
    throw err;
  }
  let stopped = false;
  return {
    url: gateway.url,
    anonKey: gateway.anonKey,
    serviceKey: gateway.serviceKey,
    jwtSecret,
    users: gateway.users,
    faults: gateway.faults,
    requests: gateway.requests,
    storageDir: gateway.storageDir,
    mintToken: gateway.mintToken,
    pg: {
      connectionString: db.connectionString,
      postgresConnectionString: db.postgres.connectionString,
      authenticatorConnectionString: db.authenticator.connectionString,
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await gateway.close();
      } finally {
        await db.stop();
      }
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.BACKEND_PORT ?? '54321' },
      'jwt-secret': { type: 'string', default: process.env.JWT_SECRET },
      write: { type: 'string' },
    },
  });
  const be = await startBackend({ port: Number(values.port), jwtSecret: values['jwt-secret'], log: console.error });
  const info = {
    url: be.url,
    anonKey: be.anonKey,
    serviceKey: be.serviceKey,
    jwtSecret: be.jwtSecret,
    postgres: be.pg.connectionString,
    demoUsers: be.users.map(({ id, email, password }) => ({ id, email, password })),
  };
  if (values.write) fs.writeFileSync(values.write, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  console.log(JSON.stringify(info, null, 2));
  console.error('[backend] ready; Ctrl-C to stop');
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`[backend] ${signal}: stopping`);
    await be.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
