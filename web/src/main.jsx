// Boot: read the server's config, make the Supabase client (when there is a
// backend), open the store — which follows the client's sign-in: each user
// has a database of their own, and one holds what is made while signed out —
// and render the app inside the store's provider.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '@supabase/supabase-js';
import { openCampaignStore } from 'campaign-store';
import { CampaignStoreProvider } from 'campaign-store/react';
import { App } from './App.jsx';
import { SwitchingAccount } from './components/SwitchingAccount.jsx';
import { loadConfig } from './lib/config.js';
import { DemoContext } from './lib/demo.js';
import './styles.css';

/** The app's database name; users' databases are named after it (campaign-builder.user-<id>). */
const DB_NAME = 'campaign-builder';

function OpenFailed({ error }) {
  return (
    <div className="splash splash-error" role="alert">
      <h1>The database could not be opened</h1>
      <p>{error?.code ? `${error.code}: ` : ''}{error?.message ?? String(error)}</p>
      <button type="button" className="button primary" onClick={() => window.location.reload()}>Reload</button>
    </div>
  );
}

// The store's own log (client and worker) in the browser console.
function logToConsole({ source, level, message, details }) {
  if (level === 'debug') return;
  const method = level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info';
  console[method](`[campaign-store ${source}] ${message}`, details ?? '');
}

const { backend } = await loadConfig();
// The session lives in localStorage under a key of its own (the legacy
// migration leaves it alone).
const supabase = backend
  ? createClient(backend.url, backend.anonKey, { auth: { storageKey: 'campaign-builder-demo.auth' } })
  : null;
const root = createRoot(document.getElementById('root'));
try {
  const store = await openCampaignStore({
    name: DB_NAME,
    // OPFS where the browser allows it; else (Firefox private browsing) a
    // database in memory, and the app says so.
    storage: ['opfs', 'memory'],
    sync: supabase ? { supabase } : undefined,
    log: logToConsole,
  });
  const demo = { backend, supabase };
  root.render(
    <StrictMode>
      <DemoContext.Provider value={demo}>
        <CampaignStoreProvider store={store} fallback={<SwitchingAccount />}>
          <App />
        </CampaignStoreProvider>
      </DemoContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<OpenFailed error={error} />);
}
