// `sync: {supabase}`: the app's SupabaseClient is the source of the signed-in
// user and of the sync settings. The project URL and key are the client's
// own; tokens come from supabase.auth (getSession, and refreshSession when the
// server refused one), and the store follows onAuthStateChange: signing in,
// out, or as someone else switches the store's database (account.js).
import { CampaignStoreError } from '../errors.js';

const userOf = (session) => (session?.user?.id ? { id: session.user.id, email: session.user.email ?? null } : null);

/**
 * @param {{supabase: any, url?: string, anonKey?: string, autoStart?: boolean, intervalMs?: number,
 *   realtime?: false|{intervalMs?: number}}} settings
 */
export function supabaseAccount(settings) {
  const { supabase } = settings;
  const auth = supabase?.auth;
  if (typeof auth?.getSession !== 'function' || typeof auth.onAuthStateChange !== 'function') {
    throw new CampaignStoreError('INVALID_ARGUMENT', 'sync.supabase must be a SupabaseClient (createClient from @supabase/supabase-js)',
      { field: 'sync.supabase' });
  }
  const url = String(settings.url ?? supabase.supabaseUrl ?? '');
  const anonKey = settings.anonKey ?? supabase.supabaseKey;
  if (!url || typeof anonKey !== 'string' || !anonKey) {
    throw new CampaignStoreError('INVALID_ARGUMENT', 'the SupabaseClient has no project URL and key: pass sync.url and sync.anonKey',
      { field: 'sync.supabase' });
  }

  // A database's sync only ever carries its own user's token: while the auth
  // state already moved on (the switch is on its way) it gets none.
  const tokenFor = (userId) => async ({ refresh = false } = {}) => {
    const { data } = refresh ? await auth.refreshSession() : await auth.getSession();
    const session = data?.session;
    return session?.user?.id === userId ? session.access_token : null;
  };

  return {
    follows: true,
    async currentUser() {
      const { data } = await auth.getSession();
      return userOf(data?.session);
    },
    /** Calls back with the user (or null) on every auth event; returns the unsubscribe. */
    follow(cb) {
      const { data } = auth.onAuthStateChange((_event, session) => cb(userOf(session)));
      return () => data?.subscription?.unsubscribe();
    },
    syncFor(user) {
      if (!user) return null;
      // Realtime rides on the client's own socket and token (realtime: false turns it off).
      const realtime = settings.realtime === false ? null : { ...(settings.realtime ?? {}), supabase };
      return { url, anonKey, userId: user.id, getAccessToken: tokenFor(user.id),
        autoStart: settings.autoStart, intervalMs: settings.intervalMs, realtime, blobDownloads: settings.blobDownloads };
    },
  };
}
