// The sync status the header badge and the Sync screen show: from the store's
// sync controller when this build has one, else from the engine's own
// bookkeeping (sync.status: pending changes), which every build answers.
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { useCampaignStore } from 'campaign-store/react';
import { syncApi } from './capabilities.js';

export const SessionContext = createContext(null);

/** {session (AppSession), snapshot} from the root. */
export function useSession() {
  return useContext(SessionContext);
}

export function useSyncState() {
  const store = useCampaignStore();
  const { snapshot } = useSession();
  const mode = snapshot.sync;
  const controller = useMemo(() => (mode === 'on' ? syncApi(store) : null), [store, mode]);
  const [status, setStatus] = useState(null);
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    let alive = true;
    const read = async () => {
      try {
        const next = controller?.status ? await controller.status()
          : typeof store.sync?.status === 'function' ? await store.sync.status() : null;
        if (alive) setStatus(next);
      } catch {
        // closed while switching accounts
      }
    };
    read();
    const timer = setInterval(read, 1000);
    const offChanges = store.subscribe('*', read);
    const offStatus = controller?.onStatus((s) => { if (alive) setStatus((prev) => ({ ...prev, ...s })); });
    const onOnline = () => { setOnline(navigator.onLine !== false); read(); };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    return () => {
      alive = false;
      clearInterval(timer);
      offChanges();
      offStatus?.();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    };
  }, [store, controller]);
  return { mode, controller, status, online, account: snapshot.account };
}

/** One word for the badge and the screen. */
export function syncLabel({ mode, status, online }) {
  if (mode === 'no-backend') return { state: 'local', text: 'Local only' };
  if (mode === 'signed-out') return { state: 'local', text: 'Not signed in' };
  if (mode === 'unsupported') return { state: 'local', text: 'Sync unavailable' };
  const state = !online ? 'offline' : status?.state ?? 'idle';
  const text = { idle: 'Synced', syncing: 'Syncing…', offline: 'Offline', error: 'Sync error', stopped: 'Paused' }[state] ?? state;
  return { state, text };
}
