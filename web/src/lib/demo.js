// What the demo knows beyond the store: the backend it syncs with (or none)
// and the Supabase client that signs users in.
import { createContext, useContext } from 'react';

export const DemoContext = createContext({ backend: null, supabase: null });

/** {backend, supabase} (both null offline). */
export function useDemo() {
  return useContext(DemoContext);
}
