// Small HTTP helpers shared by the gateway's route handlers.

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, x-upsert, prefer, accept-profile, ' +
    'content-profile, range, cache-control, x-metadata, x-supabase-api-version',
  'access-control-expose-headers': 'content-range, content-location, x-supabase-api-version',
  'access-control-max-age': '86400',
};

export class BodyTooLarge extends Error {}

// A body over the limit is read to its end and thrown away, so the client
// (which may still be sending) gets the 413 answer instead of a reset
// connection; one more than DRAIN_FACTOR times the limit is cut off.
const DRAIN_FACTOR = 4;

/** Reads the whole request body; rejects with BodyTooLarge past `limit` bytes, once the body has ended. */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit * DRAIN_FACTOR) {
        reject(new BodyTooLarge(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge(`body larger than ${limit} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

// The deepest nesting a JSON request body may have: the client's own limit
// (src/json, SQLite's JSON), so nothing stored here is too deep for a device.
export const MAX_JSON_DEPTH = 1000;

/** True when `value` nests arrays/objects deeper than `max` levels (iterative: no stack to overflow). */
export function deeperThan(value, max) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function isLoopback(address) {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\./.test(a);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
