// Entry of the store's worker_threads worker in Node (started by transport-node.js).
import { parentPort } from 'node:worker_threads';
import { StoreServer } from './server.js';

const server = new StoreServer({ post: (message, transfer) => parentPort.postMessage(message, transfer ?? []) });
parentPort.on('message', (message) => server.receive(message));
