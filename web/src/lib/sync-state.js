// The sync status the header badge and the Sync screen show, from store.sync
// (which answers 'signed-out' while nobody is signed in).
import { useEffect, useState } from 'react';
import { useAccount, useCampaignStore } from 'campaign-store/react';
import { useDemo } from './demo.js';

export function useSyncState() {
  const store = useCampaignStore();
  const { backend } = useDemo();
  const { user } = useAccount();
  const sync = backend ? store.sync : null;
  const mode = !backend ? 'no-backend' : user ? 'on' : 'signed-out';
  const [status, setStatus] = useState(null);
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    if (!sync) return undefined;
    let alive = true;
    const read = () => sync.status().then((s) => { if (alive) setStatus(s); }, () => { /* closed while switching */ });
    const timer = setInterval(read, 1000);
    const offChanges = store.subscribe('*', read);
    const offStatus = sync.onStatus((s) => { if (alive) setStatus((prev) => ({ ...prev, ...s })); });
    const onOnline = () => { setOnline(navigator.onLine !== false); read(); };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    return () => {
      alive = false;
      clearInterval(timer);
      offChanges();
      offStatus();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    };
  }, [store, sync]);
  return { mode, controller: mode === 'on' ? sync : null, status: mode === 'on' ? status : null, online, account: user };
}

/** One word for the badge and the screen. */
export function syncLabel({ mode, status, online }) {
  if (mode === 'no-backend') return { state: 'local', text: 'Local only' };
  if (mode === 'signed-out') return { state: 'local', text: 'Not signed in' };
  const state = !online ? 'offline' : status?.state ?? 'idle';
  const text = { idle: 'Synced', syncing: 'Syncing…', offline: 'Offline', error: 'Sync error', stopped: 'Paused' }[state] ?? state;
  return { state, text };
}
