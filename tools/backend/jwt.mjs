// HS256 JWTs the way Supabase issues and PostgREST checks them, with
// node:crypto only. Run as a CLI to mint a token:
//   node tools/backend/jwt.mjs --secret S --sub <uuid> [--role authenticated] [--expires-in 3600]
import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// PostgREST accepts this much clock skew on exp/nbf/iat.
const SKEW_SECONDS = 30;

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sign = (data, secret) => createHmac('sha256', secret).update(data).digest();

export function signJwt(claims, secret) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(sign(`${head}.${body}`, secret))}`;
}

/**
 * mintToken({ secret, sub, role = 'authenticated', expiresIn = 3600, email, claims })
 * expiresIn is in seconds; negative values make already-expired tokens (tests).
 */
export function mintToken({ secret, sub, role = 'authenticated', expiresIn = 3600, email, claims = {} }) {
  if (!secret) throw new Error('mintToken needs the JWT secret');
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: 'campaign-store-local', role, iat: now, exp: now + expiresIn, ...claims };
  if (sub) payload.sub = sub;
  if (role === 'authenticated') payload.aud = 'authenticated';
  if (email) payload.email = email;
  return signJwt(payload, secret);
}

export class JwtError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code; // PGRST301: cannot decode/verify; PGRST303: claims invalid (expired)
  }
}

/** Returns the claims of a valid token or throws JwtError. */
export function verifyJwt(token, secret, nowSeconds = Date.now() / 1000) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new JwtError('PGRST301', `Expected 3 parts in JWT; got ${parts.length}`);
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('PGRST301', 'JWT cryptographic operation failed');
  }
  // Only HS256: accepting `none` or letting the token pick the algorithm is
  // the classic JWT forgery.
  if (header?.alg !== 'HS256') throw new JwtError('PGRST301', 'Wrong or unsupported encoding algorithm');
  const given = Buffer.from(parts[2], 'base64url');
  const expected = sign(`${parts[0]}.${parts[1]}`, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError('PGRST301', 'No suitable key or wrong key type');
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new JwtError('PGRST303', 'Parsing claims failed');
  }
  if (claims.exp !== undefined && !(typeof claims.exp === 'number' && nowSeconds - SKEW_SECONDS < claims.exp)) {
    throw new JwtError('PGRST303', 'JWT expired');
  }
  if (typeof claims.nbf === 'number' && nowSeconds + SKEW_SECONDS < claims.nbf) {
    throw new JwtError('PGRST303', 'JWT not yet valid');
  }
  if (typeof claims.iat === 'number' && nowSeconds + SKEW_SECONDS < claims.iat) {
    throw new JwtError('PGRST303', 'JWT issued at future');
  }
  return claims;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      secret: { type: 'string', default: process.env.JWT_SECRET },
      sub: { type: 'string' },
      role: { type: 'string', default: 'authenticated' },
      email: { type: 'string' },
      'expires-in': { type: 'string', default: '3600' },
    },
  });
  if (!values.secret) {
    console.error('usage: jwt.mjs --secret <secret> [--sub uuid] [--role r] [--email e] [--expires-in s]');
    process.exit(2);
  }
  console.log(mintToken({ secret: values.secret, sub: values.sub, role: values.role,
    email: values.email, expiresIn: Number(values['expires-in']) }));
}
