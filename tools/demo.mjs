// The main job (npm start, after tools/start.sh set up and built the module):
// builds the demo Campaign Builder (web/), starts the local Supabase
// stand-in (PostgreSQL 15 + gateway, tools/backend/) and serves the app on
// loopback. Prints the URL; Ctrl-C stops everything.
//
//   node tools/demo.mjs [--port 5173] [--backend-port 54321] [--offline]
//
// --offline (or a backend that cannot start) serves the app without a
// backend: it works fully offline, sync is simply not offered.
import net from 'node:net';
import { parseArgs } from 'node:util';
import { buildWeb, startWebServer } from '../web/server.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '5173' },
    'backend-port': { type: 'string', default: process.env.BACKEND_PORT ?? '54321' },
    offline: { type: 'boolean', default: false },
  },
});

const say = (message) => console.log(`[demo] ${message}`);
let backend = null;
let web = null;
let stopping = null;

async function stop(signal) {
  if (stopping) {
    say(`${signal} again: exiting now`);
    process.exit(130);  // pg.mjs's exit hook still stops PostgreSQL
  }
  say(`${signal}: stopping`);
  stopping = (async () => {
    await web?.close().catch((err) => say(`web server: ${err.message}`));
    await backend?.stop().catch((err) => say(`backend: ${err.message}`));
  })();
  await stopping;
  say('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

/** The wanted port if it is free on 127.0.0.1, else 0 (any free port). */
function portOrAny(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

say('building the app (Vite)');
await buildWeb();

if (values.offline) {
  say('--offline: no backend');
} else {
  const wanted = Number(values['backend-port']);
  const port = await portOrAny(wanted);
  if (port !== wanted) say(`port ${wanted} is taken; the backend takes a free one`);
  say('starting the local backend (PostgreSQL 15 + Supabase gateway)');
  try {
    const { startBackend } = await import('./backend/backend.mjs');
    backend = await startBackend({ port });
  } catch (err) {
    say(`the backend did not start, so the app runs offline: ${err.message.split('\n')[0]}`);
  }
}
if (stopping) await new Promise(() => {});  // Ctrl-C came during start-up: stop() exits

const wantedWeb = Number(values.port);
const webPort = await portOrAny(wantedWeb);
if (webPort !== wantedWeb) say(`port ${wantedWeb} is taken; the app takes a free one`);
web = await startWebServer({ port: webPort, backend });

const lines = [
  '',
  `  Campaign Builder   ${web.url}/`,
  backend
    ? `  Backend            ${backend.url}  (Supabase stand-in; anon key ${backend.anonKey.slice(0, 16)}…)`
    : '  Backend            none: the app works offline',
  ...(backend ? [`  Demo users         ${backend.users.map((u) => `${u.email} / ${u.password}`).join(',  ')}`] : []),
  '',
  '  Open the URL in Chromium or Chrome. Ctrl-C stops everything.',
  '',
];
console.log(lines.join('\n'));
