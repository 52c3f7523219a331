// Entry of the store's dedicated Web Worker (started by transport-browser.js).
import { preloadGlue } from '../engine/load.js';
import { StoreServer } from './server.js';

// The glue downloads while the page sends init (and, with it, the wasm it
// compiled: js/client/wasm-prefetch.js).
preloadGlue();

const server = new StoreServer({ post: (message, transfer) => self.postMessage(message, transfer ?? []) });
self.onmessage = (e) => server.receive(e.data);
