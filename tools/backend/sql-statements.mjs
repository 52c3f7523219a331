// Splits a SQL script into its top-level statements, as psql would send
// them: semicolons inside quotes ('…', E'…', "…"), dollar quotes ($$…$$,
// $tag$…$tag$) and comments (--, nested /* */) do not end a statement.
// The migration runner (pg.mjs) needs the statements one by one to send
// policy statements through the supautils emulation.

const IDENT_CHAR = /[A-Za-z0-9_$]/;

/**
 * Statements of `sql` without their terminating semicolons and without the
 * comments before them (each starts with its first keyword); empty ones are
 * left out.
 */
export function splitSql(sql) {
  const n = sql.length;
  const out = [];
  let first = -1;  // where the current statement's first token starts
  let i = 0;

  // Index just past the quoted text, identifier or dollar-quoted body at `at`.
  const skipQuoted = (at) => {
    const c = sql[at];
    if (c === "'") {
      // E'…' takes backslash escapes; every string doubles its quote.
      const escapes = at > 0 && /[eE]/.test(sql[at - 1]) && (at < 2 || !IDENT_CHAR.test(sql[at - 2]));
      let j = at + 1;
      while (j < n) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") return j + 1;
        else j++;
      }
      return n;
    }
    if (c === '"') {
      let j = at + 1;
      while (j < n) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') return j + 1;
        else j++;
      }
      return n;
    }
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at, at + 66))[0];
    const end = sql.indexOf(tag, at + tag.length);
    return end < 0 ? n : end + tag.length;
  };

  while (i < n) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; }
        else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; }
        else i++;
      }
    } else if (c === ';') {
      if (first >= 0) out.push(sql.slice(first, i).trim());
      first = -1;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      if (first < 0) first = i;
      const quoted = c === "'" || c === '"' ||
        (c === '$' && (i === 0 || !IDENT_CHAR.test(sql[i - 1])) && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 66)));
      i = quoted ? skipQuoted(i) : i + 1;
    }
  }
  if (first >= 0) out.push(sql.slice(first).trim());
  return out;
}
