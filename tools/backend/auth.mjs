// Just enough of GoTrue (/auth/v1) for a demo app to sign in with
// supabase-js: password and refresh-token grants for a fixed list of demo
// users, /user and /logout (which revokes refresh tokens, by scope, as
// GoTrue does). Not an identity provider.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mintToken } from './jwt.mjs';

export const DEMO_USERS = [
  { id: 'a11ce000-0000-4000-8000-000000000001', email: 'alice@example.com', password: 'alice-password' },
  { id: 'b0b00000-0000-4000-8000-000000000002', email: 'bob@example.com', password: 'bob-password' },
];

const ACCESS_TOKEN_SECONDS = 3600;

function sameText(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function publicUser(u) {
  return {
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: '2024-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  };
}

function authError(status, code, msg) {
  return { status, body: { code: status, error_code: code, msg } };
}

export function createAuth({ jwtSecret, users = DEMO_USERS }) {
  const refreshTokens = new Map(); // token -> {userId, sessionId} (in memory, per gateway)

  function session(user, sessionId = randomBytes(8).toString('hex')) {
    const refresh = randomBytes(24).toString('base64url');
    refreshTokens.set(refresh, { userId: user.id, sessionId });
    const now = Math.floor(Date.now() / 1000);
    return {
      access_token: mintToken({ secret: jwtSecret, sub: user.id, email: user.email,
        expiresIn: ACCESS_TOKEN_SECONDS, claims: { session_id: sessionId } }),
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: now + ACCESS_TOKEN_SECONDS,
      refresh_token: refresh,
      user: publicUser(user),
    };
  }

  return {
    users,
    /** POST /auth/v1/token?grant_type=... */
    token(grantType, body) {
      if (grantType === 'password') {
        const user = users.find((u) => u.email === String(body?.email ?? '').toLowerCase());
        if (!user || !sameText(user.password, body?.password ?? '')) {
          return authError(400, 'invalid_credentials', 'Invalid login credentials');
        }
        return { status: 200, body: session(user) };
      }
      if (grantType === 'refresh_token') {
        const held = refreshTokens.get(body?.refresh_token);
        if (!held) return authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        refreshTokens.delete(body.refresh_token); // rotate, as GoTrue does
        return { status: 200, body: session(users.find((u) => u.id === held.userId), held.sessionId) };
      }
      return authError(400, 'unsupported_grant_type', `unsupported grant_type ${grantType}`);
    },
    /** POST /auth/v1/logout?scope=global|local|others: revokes the refresh tokens of the user's sessions. */
    logout(claims, scope = 'global') {
      if (!['global', 'local', 'others'].includes(scope)) return authError(400, 'validation_failed', `invalid scope ${scope}`);
      for (const [token, held] of refreshTokens) {
        if (held.userId !== claims?.sub) continue;
        const current = held.sessionId === claims.session_id;
        if (scope === 'global' || (scope === 'local') === current) refreshTokens.delete(token);
      }
      return { status: 204, body: '' };
    },
    /** GET /auth/v1/user for verified claims. */
    user(claims) {
      const user = users.find((u) => u.id === claims?.sub);
      if (!user) return authError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return { status: 200, body: publicUser(user) };
    },
  };
}
