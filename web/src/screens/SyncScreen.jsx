// Sync: who is signed in (demo users of the local backend, through
// supabase.auth), the sync state, pending changes, last sync and the
// conflicts the engine resolved. Signing in or out switches the store to
// that user's database (or the signed-out one) by itself.
import { useState } from 'react';
import { useAccount, useCampaignStore } from 'campaign-store/react';
import { ErrorNote, Field, PageHeader, Stat } from '../components/ui.jsx';
import { count, dateTime } from '../lib/format.js';
import { useDemo } from '../lib/demo.js';
import { useAction, usePolled } from '../lib/hooks.js';
import { syncLabel, useSyncState } from '../lib/sync-state.js';

// status.realtime: the leader tab holds the socket; another tab shows 'off'.
const REALTIME_LABELS = { connected: 'connected (Realtime)', connecting: 'connecting…', off: 'off (polling)' };

export function SyncScreen() {
  const { backend } = useDemo();
  return (
    <>
      <PageHeader title="Sync" />
      {!backend ? (
        <section className="panel">
          <h2>No backend configured</h2>
          <p>
            The app works fully offline: everything lives in this browser’s database. Start it with <code>npm start</code> to get
            the local Supabase stand-in (PostgreSQL + gateway) and sign in to sync between browsers.
          </p>
        </section>
      ) : (
        <AccountPanel backend={backend} />
      )}
      <StatusPanel />
    </>
  );
}

function AccountPanel({ backend }) {
  const { supabase } = useDemo();
  const { user: account, database } = useAccount();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [action, run] = useAction();
  const signIn = (e, p) => run(async () => {
    const { error } = await supabase.auth.signInWithPassword({ email: e, password: p });
    if (error) throw error;
  });
  return (
    <section className="panel" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <p className="muted">Backend: <code>{backend.url}</code> · this device’s database: <code data-testid="database-name">{database}</code></p>
      {account ? (
        <div className="row">
          <p data-testid="signed-in-as">Signed in as <strong>{account.email}</strong></p>
          <button type="button" className="button" onClick={() => run(() => supabase.auth.signOut())} disabled={action.busy}>Sign out</button>
        </div>
      ) : (
        <>
          <div className="row wrap">
            {backend.users.map((u) => (
              <button key={u.email} type="button" className="button primary" disabled={action.busy}
                onClick={() => signIn(u.email, u.password)}>Sign in as {u.email}</button>
            ))}
          </div>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); signIn(email, password); }}>
            <Field label="Email">{(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" />}</Field>
            <Field label="Password">{(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />}</Field>
            <button type="submit" className="button" disabled={action.busy || !email || !password}>Sign in</button>
          </form>
        </>
      )}
      <ErrorNote error={action.error} />
    </section>
  );
}

function StatusPanel() {
  const store = useCampaignStore();
  const sync = useSyncState();
  const label = syncLabel(sync);
  const [action, run] = useAction();
  const { status, controller, mode } = sync;
  const conflicts = usePolled(async () => (controller ? controller.conflicts(20) : null), { intervalMs: 3000, deps: [controller] });
  const lastSynced = status?.lastSyncedAt;
  return (
    <section className="panel" aria-labelledby="status-heading">
      <div className="section-header">
        <h2 id="status-heading">Status</h2>
        {controller && (
          <div className="row">
            <button type="button" className="button primary" disabled={action.busy} onClick={() => run(() => controller.now())}>Sync now</button>
            {status?.state === 'stopped'
              ? <button type="button" className="button" onClick={() => run(() => controller.start())}>Resume sync</button>
              : <button type="button" className="button" onClick={() => run(() => controller.stop())}>Pause sync</button>}
          </div>
        )}
      </div>
      {mode !== 'on' && (
        <p className="muted" data-testid="sync-not-signed-in">
          {mode === 'no-backend' ? 'Nothing syncs without a backend: changes stay in this browser.'
            : 'Nobody is signed in: what you make now stays on this device, in the signed-out database. Signing in offers to move it into the account.'}
        </p>
      )}
      <dl className="stats">
        <Stat testId="sync-state" label="State" value={<span className={`sync-dot sync-${label.state}`}>{label.text}</span>} />
        {mode === 'on' && <Stat testId="sync-pending" label="Pending changes" value={status ? count(status.pending) : '…'} />}
        {mode === 'on' && <Stat testId="sync-last" label="Last synced" value={lastSynced ? dateTime(lastSynced) : 'never'} />}
        {mode === 'on' && <Stat testId="sync-conflicts" label="Conflicts seen" value={status ? count(status.conflicts) : '…'} />}
        {mode === 'on' && <Stat testId="sync-realtime" label="Live updates" value={status ? REALTIME_LABELS[status.realtime] ?? status.realtime : '…'} />}
        {mode === 'on' && <Stat testId="sync-downloads" label="Images to download" value={status ? count(status.blobsToDownload ?? 0) : '…'} />}
        {status?.rejected ? <Stat label="Rejected by the server" value={count(status.rejected)} /> : null}
        <Stat label="Network" value={sync.online ? 'online' : 'offline'} />
      </dl>
      {status?.error && <p className="error-note" role="alert">{status.error.code}: {status.error.message}</p>}
      <ErrorNote error={action.error} />
      {Array.isArray(conflicts.data) && conflicts.data.length > 0 && (
        <>
          <h3>Recent conflicts</h3>
          <p className="muted">The newest write of a row wins (by hybrid logical clock); the other version is recorded here.</p>
          <table className="table compact" aria-label="Conflicts">
            <thead><tr><th scope="col">Seen</th><th scope="col">Table</th><th scope="col">Row</th><th scope="col">Winner</th></tr></thead>
            <tbody>
              {conflicts.data.map((c) => (
                <tr key={c.seq}><td>{dateTime(c.seenAt)}</td><td>{c.table}</td><td><code>{String(c.id).slice(0, 8)}</code></td><td>{c.winner}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p className="muted small">Store: {store.info?.role ?? '—'} tab{store.info?.version ? `, campaign-store ${store.info.version.version}, SQLite ${store.info.version.sqlite}` : ''}.</p>
    </section>
  );
}
