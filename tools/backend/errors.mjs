// PostgREST's error JSON and its SQLSTATE -> HTTP status table, so clients
// written against Supabase see the same codes here.

export function pgrstError(code, message, { details = null, hint = null } = {}) {
  return { code, details, hint, message };
}

// https://docs.postgrest.org/en/latest/references/errors.html (status codes)
export function httpStatusForSqlState(state, role) {
  if (!state) return 500;
  if (/^PT\d{3}$/.test(state)) return Number(state.slice(2));
  if (state === '42501') return role === 'anon' ? 401 : 403;
  if (state === '23503' || state === '23505') return 409;
  if (state === '25006') return 405;
  if (state === '42883' || state === '42P01') return 404;
  if (state === 'P0001') return 400;
  if (state === '53400') return 500;
  const byPrefix = {
    '08': 503, '09': 500, '0L': 403, '0P': 403, '25': 500, '28': 403, '2D': 500, '38': 500,
    '39': 500, '3B': 500, '40': 500, '53': 503, '54': 500, '55': 500, '57': 500, '58': 500,
    F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byPrefix[state.slice(0, 2)] ?? (state === '42P17' ? 500 : 400);
}

/** Maps an error thrown by the `pg` driver (or the network) to {status, body}. */
export function fromPgError(err, role) {
  if (typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) {
    return {
      status: httpStatusForSqlState(err.code, role),
      body: pgrstError(err.code, err.message, { details: err.detail ?? null, hint: err.hint ?? null }),
    };
  }
  // No SQLSTATE: the database could not be reached or the connection broke.
  return {
    status: 503,
    body: pgrstError('PGRST000', 'Could not connect with the database', { details: String(err?.message ?? err) }),
  };
}
