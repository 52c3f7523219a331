// A throwaway PostgreSQL 15 for development and tests: a fresh cluster in a
// temp dir on a free loopback port, set up as a Supabase project is
// (supabase-shim.sql by the superuser supabase_admin), with
// supabase/migrations applied by the non-superuser `postgres`. Import
// `startPostgres()`, or run this file to keep one up until Ctrl-C.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { splitSql } from './sql-statements.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const shimFile = path.join(here, 'supabase-shim.sql');
export const migrationsDir = path.join(repoRoot, 'supabase/migrations');
const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// initdb/postgres refuse to run as root, so as root everything server-side
// runs as the `postgres` system user; anyone else runs it as themselves.
function runAsServerUser(bin, args, opts = {}) {
  const [cmd, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]]
    : [path.join(PG_BIN, bin), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

// The machine may be brand new (CI): install the server the Debian way.
export function ensurePostgresInstalled() {
  if (fs.existsSync(path.join(PG_BIN, 'postgres'))) return;
  if (!isRoot) {
    throw new Error(`PostgreSQL 15 not found in ${PG_BIN}; install it with ` +
      '`sudo apt-get install -y postgresql-15` or set PG_BIN');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // stdout goes to stderr so a test runner's TAP stream stays clean; the
  // lock timeout lets parallel test files queue instead of failing.
  const opts = { stdio: ['ignore', 2, 2], env };
  const wait = ['-o', 'DPkg::Lock::Timeout=600'];
  console.error('[pg] installing postgresql-15 with apt-get ...');
  execFileSync('apt-get', [...wait, 'update'], opts);
  execFileSync('apt-get', [...wait, 'install', '-y', '--no-install-recommends', 'postgresql-15'], opts);
  if (!fs.existsSync(path.join(PG_BIN, 'postgres'))) {
    throw new Error(`apt-get installed postgresql-15 but ${PG_BIN}/postgres is still missing`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function migrationFiles() {
  return fs.readdirSync(migrationsDir)
    .filter((f) => /^\d+.*\.sql$/.test(f))
    .sort()
    .map((f) => path.join(migrationsDir, f));
}

/**
 * Applies one migration file on `client` (logged in as the migrating role),
 * in one transaction, statement by statement as psql would: a policy
 * statement that supautils.policy_grants grants to the login role goes
 * through the supautils emulation (run as the superuser, as supautils
 * does); everything else runs as the role itself.
 */
export async function applyMigration(client, file) {
  const name = path.relative(repoRoot, file);
  await client.query('begin');
  try {
    for (const statement of splitSql(fs.readFileSync(file, 'utf8'))) {
      const { rows } = await client.query('select supautils.policy_granted($1) as granted', [statement]);
      if (rows[0].granted) await client.query('select supautils.run_policy_statement($1)', [statement]);
      else await client.query(statement);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    err.message = `${name}: ${err.message}`;
    throw err;
  }
}

// As on Supabase: the project's pre-requisites by the superuser
// (supabase_admin), then supabase/migrations by `postgres`, which is not a
// superuser there (what `supabase db push` and the SQL editor run as).
async function setUpDatabase({ superuser, postgres, passwords }) {
  const admin = new pg.Client({ connectionString: superuser });
  await admin.connect();
  try {
    try {
      await admin.query(fs.readFileSync(shimFile, 'utf8'));
    } catch (err) {
      err.message = `${path.relative(repoRoot, shimFile)}: ${err.message}`;
      throw err;
    }
    // ALTER ROLE takes no bind parameters; pass the passwords through a
    // session setting instead of splicing them into SQL text.
    for (const [role, password] of Object.entries(passwords)) {
      await admin.query("select set_config('campaign_store.password', $1, false)", [password]);
      await admin.query(`do $$ begin
        execute format('alter role %I with login password %L', '${role}', current_setting('campaign_store.password'));
      end $$`);
    }
    await admin.query("select set_config('campaign_store.password', '', false)");
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: postgres });
  await client.connect();
  try {
    for (const file of migrationFiles()) await applyMigration(client, file);
  } finally {
    await client.end();
  }
}

const liveClusters = new Set();
process.once('exit', () => {
  // Last resort if a caller forgot stop(): never leave a postmaster behind.
  for (const c of liveClusters) c.stopSync();
});

/**
 * Starts a fresh cluster. Resolves to
 * { host, port, connectionString (the superuser, supabase_admin),
 *   postgres: {user, password, connectionString} (not a superuser; ran the
 *   migrations), authenticator: {user, password, connectionString}, dataDir, stop() }.
 */
export async function startPostgres({ port, log = false } = {}) {
  ensurePostgresInstalled();
  // As root the server runs as `postgres`, which must be able to reach the
  // directory: root's TMPDIR may not be traversable, /tmp always is.
  const dir = fs.mkdtempSync(path.join(isRoot ? '/tmp' : os.tmpdir(), 'campaign-store-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const superPassword = randomBytes(18).toString('hex');
  const postgresPassword = randomBytes(18).toString('hex');
  const authenticatorPassword = randomBytes(18).toString('hex');

  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  fs.chmodSync(dir, 0o700);
  const pwFile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwFile, superPassword + '\n', { mode: 0o600 });
  if (isRoot) fs.chownSync(pwFile, fs.statSync(dir).uid, fs.statSync(dir).gid);

  let started = false;
  const cluster = {
    dataDir,
    stopSync() {
      if (started) {
        spawnSync(isRoot ? 'runuser' : path.join(PG_BIN, 'pg_ctl'),
          isRoot ? ['-u', 'postgres', '--', path.join(PG_BIN, 'pg_ctl'), 'stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']
                 : ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'],
          { stdio: 'ignore' });
        started = false;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      liveClusters.delete(cluster);
    },
  };
  liveClusters.add(cluster);

  try {
    runAsServerUser('initdb', ['-D', dataDir, '-U', 'supabase_admin', '-E', 'UTF8', '--locale=C.UTF-8',
      '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwFile}`, '--no-sync']);
    fs.rmSync(pwFile);

    // A free port can be taken by someone else before postgres binds it
    // (parallel test files): pick another and try again, a few times.
    let chosenPort;
    for (let attempt = 1; !started; attempt++) {
      chosenPort = port ?? await freePort();
      // Loopback only; durability off because every cluster is disposable.
      const opts = [`-p ${chosenPort}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`,
        '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
        '-c max_connections=60', '-c TimeZone=UTC'].join(' ');
      try {
        runAsServerUser('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', opts]);
        started = true;
      } catch (err) {
        if (port !== undefined || attempt >= 3) throw err;
      }
    }

    const host = '127.0.0.1';
    const connectionString = `postgresql://supabase_admin:${superPassword}@${host}:${chosenPort}/postgres`;
    const postgresConnectionString = `postgresql://postgres:${postgresPassword}@${host}:${chosenPort}/postgres`;
    await setUpDatabase({ superuser: connectionString, postgres: postgresConnectionString,
      passwords: { postgres: postgresPassword, authenticator: authenticatorPassword } });
    if (log) console.error(`[pg] PostgreSQL 15 on ${host}:${chosenPort} (${dir})`);

    return {
      host,
      port: chosenPort,
      connectionString,
      postgres: { user: 'postgres', password: postgresPassword, connectionString: postgresConnectionString },
      authenticator: {
        user: 'authenticator',
        password: authenticatorPassword,
        connectionString: `postgresql://authenticator:${authenticatorPassword}@${host}:${chosenPort}/postgres`,
      },
      dataDir,
      logFile,
      async stop() { cluster.stopSync(); },
    };
  } catch (err) {
    let tail = '';
    try { tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'); } catch {}
    cluster.stopSync();
    if (tail) err.message += `\n--- postgres.log (tail) ---\n${tail}`;
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const db = await startPostgres({ log: true });
  console.log(`connectionString=${db.connectionString}`);
  console.log(`authenticator=${db.authenticator.connectionString}`);
  const shutdown = async () => { await db.stop(); process.exit(0); };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
