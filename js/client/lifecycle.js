// Page lifecycle -> the store's worker. A page going into the back/forward
// cache or being frozen keeps its worker alive but must not keep the OPFS
// access handles (exclusive) or the leadership: other tabs would stall. So
// on pagehide/freeze the worker steps down and releases them; on
// pageshow/resume it takes part in the election again. A page that is really
// closing gets the same early release, so the next leader opens sooner.
import { WORKER_OPS } from '../protocol/wire.js';

/**
 * @param {import('./store.js').CampaignStore} store
 * @returns {() => void} removes the listeners
 */
export function watchPageLifecycle(store) {
  const target = globalThis.window;
  const doc = globalThis.document;
  if (!target?.addEventListener) return () => {};
  const send = (op) => store.call(op, {}).catch(() => { /* closed meanwhile */ });
  const onHide = () => send(WORKER_OPS.suspend);
  const onShow = (e) => { if (e.type !== 'pageshow' || e.persisted) send(WORKER_OPS.resume); };
  target.addEventListener('pagehide', onHide);
  target.addEventListener('pageshow', onShow);
  doc?.addEventListener('freeze', onHide);
  doc?.addEventListener('resume', onShow);
  return () => {
    target.removeEventListener('pagehide', onHide);
    target.removeEventListener('pageshow', onShow);
    doc?.removeEventListener('freeze', onHide);
    doc?.removeEventListener('resume', onShow);
  };
}
