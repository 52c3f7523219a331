// Boot: read the server's config, open the database (OPFS, in a worker) and
// render the app inside the store's provider.
import { StrictMode, useMemo, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { CampaignStoreProvider } from 'campaign-store/react';
import { App } from './App.jsx';
import { loadConfig } from './lib/config.js';
import { AppSession } from './lib/session.js';
import { SessionContext } from './lib/sync-state.js';
import './styles.css';

function Root({ session }) {
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const context = useMemo(() => ({ session, snapshot }), [session, snapshot]);
  if (snapshot.phase === 'opening') {
    return <div className="splash" role="status"><span className="logo" aria-hidden="true">◆</span> Opening the database…</div>;
  }
  if (snapshot.phase === 'error') {
    return (
      <div className="splash splash-error" role="alert">
        <h1>The database could not be opened</h1>
        <p>{snapshot.error?.code ? `${snapshot.error.code}: ` : ''}{snapshot.error?.message ?? String(snapshot.error)}</p>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>Reload</button>
      </div>
    );
  }
  return (
    <SessionContext.Provider value={context}>
      <CampaignStoreProvider store={snapshot.store}>
        <App />
      </CampaignStoreProvider>
    </SessionContext.Provider>
  );
}

const config = await loadConfig();
const session = new AppSession(config);
createRoot(document.getElementById('root')).render(<StrictMode><Root session={session} /></StrictMode>);
session.start();
