// The React bindings, built from whichever React the app uses (index.js
// passes the 'react' peer dependency; tests pass React 18 and 19). Every hook
// reads through useSyncExternalStore, so renders see consistent snapshots
// under concurrent rendering, and nothing runs until React subscribes.
import { DraftAutosaver } from './autosave.js';

const IDLE = Object.freeze({ status: 'idle', data: undefined, error: undefined });
const SINGLE = Object.freeze({ phase: 'ready', user: null, database: null, error: null });
const noSubscribe = () => () => {};
const idleSnapshot = () => IDLE;
const singleSnapshot = () => SINGLE;

/** @param {typeof import('react')} React */
export function createBindings(React) {
  const { createContext, createElement, Fragment, useCallback, useContext, useEffect, useMemo, useSyncExternalStore } = React;
  const StoreContext = createContext(null);

  const useAccountSnapshot = (store) => useSyncExternalStore(
    store?.account?.subscribe ?? noSubscribe,
    store?.account?.getSnapshot ?? singleSnapshot,
    store?.account?.getSnapshot ?? singleSnapshot,
  );

  /**
   * Makes `store` (from openCampaignStore) available to the hooks below.
   * Its children belong to the database open now: while the store switches
   * users they give way to `fallback` (so they unmount, flushing their
   * autosaves into the database they were showing), and they mount afresh for
   * the next one, so no state of one user's screens reaches another's.
   */
  function CampaignStoreProvider({ store, children, fallback = null }) {
    const account = useAccountSnapshot(store);
    const content = account.phase === 'ready'
      ? createElement(Fragment, { key: account.database ?? '' }, children)
      : fallback;
    return createElement(StoreContext.Provider, { value: store }, content);
  }

  /**
   * The account of the store: {phase: 'opening'|'ready'|'switching'|'error',
   * user, database, error} plus switchUser(user|null), signedOutData() and
   * adoptSignedOutData() (store.account).
   */
  function useAccount() {
    const store = useCampaignStore();
    const snapshot = useAccountSnapshot(store);
    return useMemo(() => ({
      ...snapshot,
      switchUser: (user) => store.account.switch(user),
      signedOutData: () => store.account.signedOutData(),
      adoptSignedOutData: () => store.account.adoptSignedOutData(),
    }), [store, snapshot]);
  }

  function useCampaignStore() {
    const store = useContext(StoreContext);
    if (!store) throw new Error('campaign-store: wrap the component in <CampaignStoreProvider store={store}>');
    return store;
  }

  /**
   * Runs `query(store)` and re-runs it when the tables it read change.
   * `deps` work as in useMemo (the query is rebuilt when they change);
   * a null query stays idle. Returns {status, data, error}.
   */
  function useLiveQuery(query, deps = [], options = {}) {
    const store = useCampaignStore();
    const tables = options.tables ? [].concat(options.tables) : undefined;
    const tablesKey = tables ? tables.join('\u0000') : '';
    // eslint-disable-next-line react-hooks/exhaustive-deps
    const live = useMemo(() => (query ? store.liveQuery(query, { tables }) : null), [store, tablesKey, !query, ...deps]);
    return useSyncExternalStore(
      live ? live.subscribe : noSubscribe,
      live ? live.getSnapshot : idleSnapshot,
      live ? live.getSnapshot : idleSnapshot,
    );
  }

  /** The product list (live). */
  function useProducts(query) {
    const key = stableKey(query);
    return useLiveQuery((s) => s.products.list(query), [key]);
  }

  /** The campaign list (live). */
  function useCampaigns(query) {
    const key = stableKey(query);
    return useLiveQuery((s) => s.campaigns.list(query), [key]);
  }

  /** One campaign (live); data is null when it does not exist (or was deleted). */
  function useCampaign(id) {
    return useLiveQuery(
      id === null || id === undefined ? null
        : (s) => s.campaigns.get(id).catch((err) => (err?.code === 'NOT_FOUND' ? null : Promise.reject(err))),
      [id],
    );
  }

  /**
   * Saves `stepData` as the draft of `campaignId`, debounced, whenever it
   * changes by value. Returns {status, savedAt, error, flush}; status is
   * 'idle' | 'pending' | 'saving' | 'saved' | 'error'. Unmounting saves a
   * pending edit at once.
   */
  function useDraftAutosave(campaignId, stepData, { debounceMs = 1000, enabled = true, saveInitial = false } = {}) {
    const store = useCampaignStore();
    const saver = useMemo(() => new DraftAutosaver(store), [store]);
    useEffect(() => {
      saver.update(campaignId, stepData, { debounceMs, enabled, saveInitial });
    });
    useEffect(() => () => { saver.flush().catch(() => {}); }, [saver]);
    const snapshot = useSyncExternalStore(saver.subscribe, saver.getSnapshot, saver.getSnapshot);
    const flush = useCallback(() => saver.flush(), [saver]);
    return useMemo(() => ({ ...snapshot, flush }), [snapshot, flush]);
  }

  return {
    CampaignStoreProvider, useCampaignStore, useAccount, useLiveQuery, useProducts, useCampaigns, useCampaign, useDraftAutosave,
  };
}

// Query objects are usually new on every render; compare them by value.
function stableKey(value) {
  return value === undefined ? '' : JSON.stringify(value);
}
