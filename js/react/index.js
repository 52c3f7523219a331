// campaign-store/react: provider and hooks for the store. React is a peer
// dependency, imported only here; the core module never loads it.
import * as React from 'react';
import { createBindings } from './bindings.js';

export { createBindings } from './bindings.js';
export { DraftAutosaver } from './autosave.js';

export const {
  CampaignStoreProvider,
  useCampaignStore,
  useAccount,
  useLiveQuery,
  useProducts,
  useCampaigns,
  useCampaign,
  useDraftAutosave,
} = createBindings(React);
