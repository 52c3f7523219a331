// The whole local backend: a fresh PostgreSQL with the migrations applied
// and the gateway in front of it.
//
//   import { startBackend } from './tools/backend/backend.mjs';
//   const be = await startBackend();
//   // be.url, be.anonKey, be.mintToken({ sub }), be.faults.set({ fail503: 1 }), be.pg.connectionString,
//   // be.requests.list({ method: 'POST', pathPrefix: '/storage/' }) (what the gateway saw)
//   await be.restartGateway();  // a new gateway on the same port, keys and Storage (a server restart)
//   await be.stop();
//
// CLI: node tools/backend/backend.mjs [--port 54321] [--jwt-secret S] [--write backend.json]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGateway } from './gateway.mjs';
import { startPostgres } from './pg.mjs';

export async function startBackend({ port = 0, jwtSecret, log = () => {} } = {}) {
  jwtSecret ??= randomBytes(32).toString('hex');
  const db = await startPostgres();
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-store-storage-'));
  const start = (options) => createGateway({
    connectionString: db.authenticator.connectionString, jwtSecret, storageDir, log, ...options,
  });
  let gateway;
  try {
    gateway = await start({ port });
  } catch (err) {
    await db.stop();
    fs.rmSync(storageDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const be = {
    url: gateway.url,
    anonKey: gateway.anonKey,
    serviceKey: gateway.serviceKey,
    jwtSecret,
    users: gateway.users,
    storageDir,
    mintToken: gateway.mintToken,
    get faults() { return gateway.faults; },
    get requests() { return gateway.requests; },
    /** Open Realtime sockets. */
    get realtimeSockets() { return gateway.realtimeSockets; },
    pg: {
      connectionString: db.connectionString,
      postgresConnectionString: db.postgres.connectionString,
      authenticatorConnectionString: db.authenticator.connectionString,
    },
    /**
     * Stops the gateway (every HTTP and Realtime connection drops) and starts
     * a new one on the same port with the same keys, database and Storage.
     * `downMs` keeps the port closed that long in between.
     */
    async restartGateway({ downMs = 0 } = {}) {
      await gateway.close();
      if (downMs) await new Promise((resolve) => setTimeout(resolve, downMs));
      gateway = await start({ port: gateway.port, anonKey: gateway.anonKey, serviceKey: gateway.serviceKey });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await gateway.close();
      } finally {
        await db.stop();
        fs.rmSync(storageDir, { recursive: true, force: true });
      }
    },
  };
  return be;
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
