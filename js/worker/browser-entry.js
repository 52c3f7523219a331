// Entry of the store's dedicated Web Worker (started by transport-browser.js).
import { StoreServer } from './server.js';

const server = new StoreServer({ post: (message, transfer) => self.postMessage(message, transfer ?? []) });
self.onmessage = (e) => server.receive(e.data);
