// Sign-in against the backend's auth endpoint (Supabase GoTrue's password and
// refresh-token grants) and the session kept between page loads, the way
// supabase-js keeps it: in localStorage, under a key of its own that the
// legacy migration leaves alone.
const SESSION_KEY = 'campaign-builder-demo.session';
const EARLY_REFRESH_MS = 60_000;

/** The saved session for this backend, or null. */
export function loadSession(backend) {
  if (!backend) return null;
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    return session?.backendUrl === backend.url && session.user?.id ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // localStorage full (a near-quota legacy dump): the session lasts for this page only.
  }
}

/** Password sign-in; resolves with the session or throws with the server's message. */
export async function signInWithPassword(backend, email, password) {
  return tokenGrant(backend, 'password', { email, password });
}

async function tokenGrant(backend, grantType, body) {
  const response = await fetch(`${backend.url}/auth/v1/token?grant_type=${grantType}`, {
    method: 'POST',
    headers: { apikey: backend.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(json.msg ?? json.message ?? `sign-in failed (HTTP ${response.status})`);
    error.status = response.status;
    throw error;
  }
  return {
    backendUrl: backend.url,
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    expiresAt: (json.expires_at ?? Math.floor(Date.now() / 1000) + (json.expires_in ?? 3600)) * 1000,
    user: { id: json.user.id, email: json.user.email },
  };
}

/**
 * The getAccessToken the store's sync calls: the current token, refreshed
 * when it is about to expire or when the server refused it ({refresh: true}).
 * onSession hears about new sessions (and null when the refresh failed).
 */
export function createTokenProvider(backend, session, onSession) {
  let current = session;
  let refreshing = null;
  const refresh = () => {
    refreshing ??= tokenGrant(backend, 'refresh_token', { refresh_token: current.refreshToken })
      .then((next) => { current = next; saveSession(next); onSession(next); return next; })
      .catch((err) => { onSession(null, err); return null; })
      .finally(() => { refreshing = null; });
    return refreshing;
  };
  return async ({ refresh: force = false } = {}) => {
    if (!current) return null;
    if (force || current.expiresAt - Date.now() < EARLY_REFRESH_MS) {
      const next = await refresh();
      return next?.accessToken ?? null;
    }
    return current.accessToken;
  };
}
