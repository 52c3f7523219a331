// Sync: who is signed in (demo users of the local backend), the sync state,
// pending changes, last sync and the conflicts the engine resolved.
import { useState } from 'react';
import { useCampaignStore } from 'campaign-store/react';
import { ErrorNote, Field, PageHeader, Stat } from '../components/ui.jsx';
import { count, dateTime } from '../lib/format.js';
import { useAction, usePolled } from '../lib/hooks.js';
import { syncLabel, useSession, useSyncState } from '../lib/sync-state.js';

export function SyncScreen() {
  const { session, snapshot } = useSession();
  const backend = session.backend;
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
        <AccountPanel backend={backend} account={snapshot.account} />
      )}
      <StatusPanel />
    </>
  );
}

function AccountPanel({ backend, account }) {
  const { session, snapshot } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [action, run] = useAction();
  const signIn = (e, p) => run(() => session.signIn(e, p));
  return (
    <section className="panel" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <p className="muted">Backend: <code>{backend.url}</code></p>
      {snapshot.notice && <p className="notice" role="note">{snapshot.notice}</p>}
      {account ? (
        <div className="row">
          <p data-testid="signed-in-as">Signed in as <strong>{account.email}</strong></p>
          <button type="button" className="button" onClick={() => run(() => session.signOut())} disabled={action.busy}>Sign out</button>
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
  const conflicts = usePolled(
    async (s) => (typeof s.sync?.conflicts === 'function' ? s.sync.conflicts({ limit: 20 }) : null),
    { intervalMs: 3000 },
  );
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
      {mode === 'unsupported' && (
        <p className="notice" role="note" data-testid="sync-unavailable">
          Signed in, but this build of campaign-store has no sync loop yet (<code>store.sync.start</code>): changes stay on this device
          and are counted below as pending.
        </p>
      )}
      <dl className="stats">
        <Stat testId="sync-state" label="State" value={<span className={`sync-dot sync-${label.state}`}>{label.text}</span>} />
        <Stat testId="sync-pending" label="Pending changes" value={status ? count(status.pending) : '…'} />
        <Stat testId="sync-last" label="Last synced" value={lastSynced ? dateTime(lastSynced) : 'never'} />
        <Stat testId="sync-conflicts" label="Conflicts seen" value={status ? count(status.conflicts) : '…'} />
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
