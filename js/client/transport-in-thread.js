// The store served in the calling thread: the worker's server behind a
// MessageChannel instead of a Worker. Same messages, same structured clone
// and transfer semantics, asynchronous answers; only the thread differs.
// For tests (the shared API bodies run against it and against the worker),
// Node scripts and environments without workers.

/**
 * @param {{onMessage: (m: any) => void,
 *          onFatal: (code: string, message: string, details?: object) => void,
 *          tabs?: object}} options  tabs: multi-tab stand-ins (StoreServer)
 */
export async function startInThread({ onMessage, tabs }) {
  const { StoreServer } = await import('../worker/server.js');
  const { port1, port2 } = new MessageChannel();
  const server = new StoreServer({ post: (message, transfer) => port2.postMessage(message, transfer), tabs });
  port2.onmessage = (e) => server.receive(e.data);
  port1.onmessage = (e) => onMessage(e.data);
  // Node: an open port keeps the process alive; only while busy.
  const setRef = (on) => { for (const p of [port1, port2]) (on ? p.ref : p.unref)?.call(p); };
  setRef(false);
  return {
    post: (message, transfer) => port1.postMessage(message, transfer),
    terminate: () => {
      port1.close();
      port2.close();
      server.dispose();
      return Promise.resolve();
    },
    setBusy: setRef,
  };
}
