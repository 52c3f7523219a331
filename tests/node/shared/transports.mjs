// Every way a request reaches the engine, behind one shape, so a test body
// runs against each: { name, open(options) -> {call(op, args, options),
// close(), store?} }.
//   engine      createEngine() in this thread (campaign-store/core), no messages
//   in-thread   openCampaignStore({worker: false}): the worker's server behind a MessageChannel
//   worker      openCampaignStore(): a worker_threads worker
//   follower    a second tab's store in multi-tab mode: its server forwards
//               every request to the leading tab's over a BroadcastChannel
//               stand-in (shared/multitab-fakes.mjs), as in a browser
import { createEngine } from '../../../js/core.js';
import { CampaignStore, openCampaignStore } from '../../../js/index.js';
import { startInThread } from '../../../js/client/transport-in-thread.js';
import { ChannelHub, FakeLocks } from './multitab-fakes.mjs';

export const TRANSPORTS = [
  {
    name: 'engine',
    async open({ int64 } = {}) {
      const engine = await createEngine({ int64 });
      engine.call('open');
      return {
        engine,
        call: async (op, args, options) => engine.call(op, args, options),
        close: async () => engine.dispose(),
      };
    },
  },
  {
    name: 'in-thread',
    async open(options = {}) {
      return wrapStore(await openCampaignStore({ storage: 'memory', worker: false, ...options }));
    },
  },
  {
    name: 'worker',
    async open(options = {}) {
      return wrapStore(await openCampaignStore({ storage: 'memory', ...options }));
    },
  },
  {
    name: 'follower',
    async open({ int64 } = {}) {
      const locks = new FakeLocks();
      const hub = new ChannelHub();
      const leader = await openTab('leader', { locks, hub, int64 });
      const follower = await openTab('follower', { locks, hub, int64 });
      if (follower.info.role !== 'follower') throw new Error(`the second tab is ${follower.info.role}`);
      const wrapped = wrapStore(follower);
      return { ...wrapped, close: async () => { await follower.close(); await leader.close(); } };
    },
  },
];

function wrapStore(store) {
  return { store, call: (op, args, options) => store.call(op, args, options), close: () => store.close() };
}

// A tab's store in multi-tab mode, served in this thread (what open.js does
// for a browser tab, minus the Web Worker).
async function openTab(tabId, { locks, hub, int64 }) {
  const store = new CampaignStore({ int64 });
  const transport = await startInThread({
    onMessage: (message) => store.receive(message),
    onFatal: (code, message, details) => store.fail(code, message, details),
    tabs: { locks, createChannel: hub.factory(tabId) },
  });
  store.attach(transport);
  store.info = await store.call('worker.init', {
    name: 'values', storage: 'memory', durability: 'batched', multiTab: true, tabId,
  });
  return store;
}
