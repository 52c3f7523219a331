// The top-level parts of a JSON text as the text they were sent as. PostgREST
// hands a request's JSON to PostgreSQL as text, so a number keeps every digit
// (an int8 id, a numeric, an integer beyond 2^53 inside a jsonb document);
// JSON.parse would round it to a double. The gateway still parses the body
// to validate it and to read names and shapes, and binds these texts.

const WHITESPACE = ' \t\n\r';

/**
 * For a JSON object: a Map of member name -> value text (the last wins, as
 * in JSON.parse); for an array: its elements' texts; anything else: null.
 * `text` must already have been accepted by JSON.parse.
 * @param {string} text
 * @returns {Map<string, string> | string[] | null}
 */
export function topLevelParts(text) {
  let i = skipSpace(text, 0);
  const open = text[i];
  if (open !== '{' && open !== '[') return null;
  const parts = open === '{' ? new Map() : [];
  i = skipSpace(text, i + 1);
  while (text[i] !== '}' && text[i] !== ']') {
    let name;
    if (open === '{') {
      const end = endOfString(text, i);
      name = JSON.parse(text.slice(i, end));
      i = skipSpace(text, skipSpace(text, end) + 1);  // past the ':'
    }
    const end = endOfValue(text, i);
    if (open === '{') parts.set(name, text.slice(i, end));
    else parts.push(text.slice(i, end));
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return parts;
}

function skipSpace(text, i) {
  while (WHITESPACE.includes(text[i]) && i < text.length) i++;
  return i;
}

// text[i] is the opening quote; returns the index after the closing one.
function endOfString(text, i) {
  for (let j = i + 1; ; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
}

function endOfValue(text, i) {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; ; j++) {
      const d = text[j];
      if (d === '"') j = endOfString(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if ((d === '}' || d === ']') && --depth === 0) return j + 1;
    }
  }
  let j = i;  // a number, true, false or null
  while (j < text.length && !',}]'.includes(text[j]) && !WHITESPACE.includes(text[j])) j++;
  return j;
}
