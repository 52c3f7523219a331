// Notices above every screen: data made while signed out waiting for a
// decision (move it into this account, or keep it on this device, signed
// out), and a database kept in memory because the browser refuses OPFS.
import { useEffect, useState } from 'react';
import { useAccount, useCampaignStore } from 'campaign-store/react';
import { count } from '../lib/format.js';
import { useAction } from '../lib/hooks.js';

// "Keep separate" is remembered per user for the signed-out data as it is now.
const keepKey = (userId) => `campaign-builder-demo.keep-signed-out.${userId}`;

function describe(tables) {
  const parts = [['products', 'product'], ['campaigns', 'campaign'], ['platform_integrations', 'platform connection']]
    .filter(([t]) => tables[t] > 0)
    .map(([t, word]) => `${count(tables[t])} ${tables[t] === 1 ? word : `${word}s`}`);
  return parts.length ? parts.join(', ') : 'some data';
}

export function AccountNotices() {
  const store = useCampaignStore();
  const account = useAccount();
  const [pending, setPending] = useState(null);
  const [action, run] = useAction();
  const userId = account.user?.id ?? null;
  useEffect(() => {
    if (!userId) return undefined;
    let alive = true;
    account.signedOutData().then((data) => {
      if (!alive || data.total === 0) return;
      if (localStorage.getItem(keepKey(userId)) === String(data.total)) return;
      setPending(data);
    }, () => {});
    return () => { alive = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId]);
  const fallback = store.info?.storageFallback;
  return (
    <>
      {fallback && (
        <p className="notice" role="note" data-testid="storage-fallback">
          This browser does not let the app keep a database here ({fallback.name}: private browsing?), so it runs in memory: nothing is
          kept after this tab closes.
        </p>
      )}
      {pending && (
        <div className="notice signed-out-data" role="region" aria-label="Data made while signed out">
          <p>
            This device has {describe(pending.tables)} made while nobody was signed in. Move them into <strong>{account.user?.email}</strong>’s
            account (they will sync), or keep them on this device for when you are signed out.
          </p>
          <div className="row">
            <button type="button" className="button primary" disabled={action.busy}
              onClick={() => run(async () => { await account.adoptSignedOutData(); setPending(null); })}>
              Move into my account
            </button>
            <button type="button" className="button" disabled={action.busy}
              onClick={() => { localStorage.setItem(keepKey(userId), String(pending.total)); setPending(null); }}>
              Keep them separate
            </button>
          </div>
          {action.error && <p className="error-note" role="alert">{action.error.message}</p>}
        </div>
      )}
    </>
  );
}
