// The app shell: header with navigation and the sync badge, notices about
// the account and the storage, and the screen for the current route inside
// an error boundary.
import { useState } from 'react';
import { useAccount } from 'campaign-store/react';
import { AccountNotices } from './components/AccountNotices.jsx';
import { ErrorBoundary } from './components/ErrorBoundary.jsx';
import { useRoute } from './lib/router.js';
import { syncLabel, useSyncState } from './lib/sync-state.js';
import { BuilderScreen } from './screens/BuilderScreen.jsx';
import { CampaignScreen } from './screens/CampaignScreen.jsx';
import { CampaignsScreen } from './screens/CampaignsScreen.jsx';
import { NewProductScreen, ProductScreen } from './screens/ProductScreen.jsx';
import { ProductsScreen } from './screens/ProductsScreen.jsx';
import { PlatformsScreen } from './screens/PlatformsScreen.jsx';
import { StorageScreen } from './screens/StorageScreen.jsx';
import { SyncScreen } from './screens/SyncScreen.jsx';

const NAV = [
  { section: 'products', label: 'Products' },
  { section: 'campaigns', label: 'Campaigns' },
  { section: 'platforms', label: 'Platforms' },
  { section: 'storage', label: 'Storage' },
  { section: 'sync', label: 'Sync' },
];

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/products"><span className="logo" aria-hidden="true">◆</span> Campaign Builder</a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.section}>
                <a href={`#/${n.section}`} aria-current={route.section === n.section ? 'page' : undefined}>{n.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <SyncBadge />
      </header>
      <main className="content">
        <AccountNotices />
        <ErrorBoundary key={`${route.name}:${route.id ?? ''}`}>
          <Screen route={route} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function Screen({ route }) {
  switch (route.name) {
    case 'products': return <ProductsScreen />;
    case 'product-new': return <NewProductScreen />;
    case 'product': return <ProductScreen id={route.id} />;
    case 'campaigns': return <CampaignsScreen />;
    case 'campaign': return <CampaignScreen id={route.id} />;
    case 'builder': return <BuilderScreen id={route.id} />;
    case 'platforms': return <PlatformsScreen />;
    case 'storage': return <StorageScreen />;
    case 'sync': return <SyncScreen />;
    default: return <p>Nothing here. <a href="#/products">Go to products</a></p>;
  }
}

function SyncBadge() {
  const sync = useSyncState();
  const { user } = useAccount();
  const [syncing, setSyncing] = useState(false);
  const label = syncLabel(sync);
  // Only a signed-in user's changes are ever pushed: no pending count otherwise.
  const pending = sync.status?.pending ?? 0;
  const syncNow = async () => {
    setSyncing(true);
    try { await sync.controller.now(); } catch { /* the status shows the error */ } finally { setSyncing(false); }
  };
  return (
    <div className="sync-area">
      <a className={`sync-badge sync-${label.state}`} href="#/sync" data-testid="sync-badge"
        aria-label={`Sync: ${label.text}${pending ? `, ${pending} pending` : ''}`}>
        <span className="sync-dot" aria-hidden="true" />
        <span>{label.text}</span>
        {pending > 0 && <span className="pending">{pending > 999 ? '999+' : pending}</span>}
        {user && <span className="account">{user.email}</span>}
      </a>
      {sync.controller?.now && (
        <button type="button" className="sync-now" onClick={syncNow} disabled={syncing} aria-busy={syncing}
          aria-label="Sync now" title="Sync now">⟳</button>
      )}
    </div>
  );
}
