// Types of campaign-store/react.
import type * as ReactNS from 'react';
import type {
  CampaignStore, LiveSnapshot, Page, Product, ProductListQuery, Campaign, CampaignListQuery,
  CampaignDetail, JsonObject, Id, CampaignStoreError, AccountSnapshot, AccountMethods,
} from '../index.js';

export type HookSnapshot<T> = LiveSnapshot<T> | { status: 'idle'; data: undefined; error: undefined };

export interface CampaignStoreProviderProps {
  store: CampaignStore;
  children?: ReactNS.ReactNode;
  /** Shown instead of the children while the store switches users (or failed to); default nothing. */
  fallback?: ReactNS.ReactNode;
}

export interface AccountState extends AccountSnapshot {
  switchUser: AccountMethods['switch'];
  signedOutData: AccountMethods['signedOutData'];
  adoptSignedOutData: AccountMethods['adoptSignedOutData'];
}

export interface DraftAutosaveState {
  status: 'idle' | 'pending' | 'saving' | 'saved' | 'error';
  /** Date.now() of the last successful save. */
  savedAt: number | null;
  error: CampaignStoreError | Error | null;
  /** Saves a pending edit now. */
  flush(): Promise<void>;
}

export interface DraftAutosaveOptions {
  /** Wait this long after the last change before saving (default 1000). */
  debounceMs?: number;
  /** false: never save (default true). */
  enabled?: boolean;
  /** Also save the step data the component first renders with (default false: it came from the store). */
  saveInitial?: boolean;
}

export interface Bindings {
  CampaignStoreProvider(props: CampaignStoreProviderProps): ReactNS.ReactElement;
  /** The store from the nearest provider (throws outside one). */
  useCampaignStore(): CampaignStore;
  /** The store's account: who is signed in, the switch in progress, and switching. */
  useAccount(): AccountState;
  /**
   * Runs query(store) and re-runs it when the tables it read change.
   * deps as in useMemo; a null query stays 'idle'.
   */
  useLiveQuery<T>(
    query: ((store: CampaignStore) => Promise<T>) | null,
    deps?: ReactNS.DependencyList,
    options?: { tables?: string[] },
  ): HookSnapshot<T>;
  useProducts(query?: ProductListQuery): HookSnapshot<Page<Product>>;
  useCampaigns(query?: CampaignListQuery): HookSnapshot<Page<Campaign>>;
  /** data is null when the campaign does not exist (or was deleted). */
  useCampaign(id: Id | null | undefined): HookSnapshot<CampaignDetail | null>;
  /** Debounced autosave of a builder step; flushes on unmount. */
  useDraftAutosave(campaignId: Id | null | undefined, stepData: JsonObject | undefined, options?: DraftAutosaveOptions): DraftAutosaveState;
}

export declare function createBindings(React: typeof ReactNS): Bindings;

export declare const CampaignStoreProvider: Bindings['CampaignStoreProvider'];
export declare const useCampaignStore: Bindings['useCampaignStore'];
export declare const useAccount: Bindings['useAccount'];
export declare const useLiveQuery: Bindings['useLiveQuery'];
export declare const useProducts: Bindings['useProducts'];
export declare const useCampaigns: Bindings['useCampaigns'];
export declare const useCampaign: Bindings['useCampaign'];
export declare const useDraftAutosave: Bindings['useDraftAutosave'];

export declare class DraftAutosaver {
  constructor(store: Pick<CampaignStore, 'drafts'>);
  getSnapshot(): Omit<DraftAutosaveState, 'flush'>;
  subscribe(listener: () => void): () => void;
  update(campaignId: Id | null | undefined, stepData: JsonObject | undefined, options?: DraftAutosaveOptions): void;
  flush(): Promise<void>;
}
