// Values across the door (README "Values"): how a request's JavaScript
// values become the JSON text and bytes the engine reads
// (src/api/dispatcher.cpp), and how an answer's text and bytes become
// JavaScript values again. A value crosses exactly or is refused with
// INVALID_ARGUMENT naming where it is (details.field, e.g. "params[1]").
//
// Requests. JSON.stringify writes the text when it would be exact, which a
// quick walk (isPlain) checks first; otherwise the Encoder writes it:
//   - NaN and +-Infinity are refused; -0 is written "-0.0" (a double, so a
//     parameter binds as REAL -0.0 and a JSON document keeps -0);
//   - integers beyond 2^53 - 1 are written with all their digits (a number
//     as the exact double, a bigint as itself; a bigint beyond 64 bits is
//     refused); one of 2^63 or more gets ".0", so it stays a double;
//   - bytes (Uint8Array, any ArrayBuffer view, ArrayBuffer) become a null
//     placeholder in the text and a blob beside it, named by its path;
//   - strings and keys must be well-formed UTF-16 (no lone surrogate: the
//     engine refuses the escape JSON.stringify writes for one, and the
//     Encoder then names it);
//   - functions, symbols, Maps, Sets and other objects JSON would turn into
//     {} or drop silently are refused; so are cyclic objects, nesting deeper
//     than 1000, and requests above 64 MiB;
//   - otherwise JSON.stringify's rules: toJSON() (Dates), own enumerable
//     keys, undefined members left out and undefined array items null.
//
// Answers. The envelope's "values" entries say what its text could not
// carry: {"at": path, "int": "<digits>"} (an integer beyond 2^53 - 1, given
// back as a bigint, its decimal string or a number, as `int64` asks) and
// {"at": path, "blob": k} (the k-th blob of the answer's bytes).
import { CampaignStoreError } from '../errors.js';

/** The engine refuses requests above this (kMaxRequestBytes in src/api/dispatcher.cpp). */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** SQLite's JSON nesting limit, which the engine's parser applies too (json_text::kMaxDepth). */
const MAX_DEPTH = 1000;
/** How integers beyond 2^53 - 1 are answered. */
export const INT64_MODES = Object.freeze(['bigint', 'string', 'number']);

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TWO_63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Every value takes two bytes of the request at least ("0,"): past this
// many, isPlain gives up and the Encoder refuses the request by its size.
const MAX_VALUES = MAX_REQUEST_BYTES / 2;
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/**
 * A request's arguments as the door reads them.
 * @returns {{text: string, blobs: {path: (string|number)[], bytes: Uint8Array}[] | null}}
 */
export function encodeArgs(args) {
  if (args === undefined || args === null) return { text: '{}', blobs: null };
  if (isPlain(args)) return { text: JSON.stringify(args), blobs: null };
  return new Encoder().encode(args);
}

/**
 * Throws the INVALID_ARGUMENT the Encoder finds in `args`, if any: for a
 * request that could not be posted to the worker, or that the engine found
 * not to be valid JSON (a lone surrogate JSON.stringify let through), to
 * say which value it was.
 */
export function checkArgs(args) {
  new Encoder().encode(args);
}

// True when JSON.stringify(v) is what the Encoder would write, but for lone
// surrogates: a cheap walk (no string is read, for-in without own-property
// checks: it may visit more than JSON.stringify, never less) that gives up on
// anything unusual, and the Encoder decides. JSON.stringify writes a lone
// surrogate as an escape the engine refuses as invalid JSON; the engine then
// asks the Encoder which value it was (Engine.callEnvelope).
function isPlain(root) {
  let values = 0;
  let chars = 0;
  const plain = (v, depth) => {
    if (++values > MAX_VALUES) return false;
    switch (typeof v) {
      case 'string':
        // Long text: the Encoder counts its bytes before escaping it.
        chars += v.length;
        return chars <= MAX_REQUEST_BYTES / 8;
      case 'number':
        return v <= MAX_SAFE && v >= -MAX_SAFE && (v !== 0 || 1 / v > 0);
      case 'boolean':
      case 'undefined':
        return true;
      case 'object': {
        if (v === null) return true;
        if (depth > 64) return false;
        if (Array.isArray(v)) {
          if (v.length > MAX_VALUES - values) return false;
          for (let i = 0; i < v.length; i++) if (!plain(v[i], depth + 1)) return false;
          return true;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return false;
        for (const key in v) if (!plain(v[key], depth + 1)) return false;
        return true;
      }
      default:
        return false;  // bigint, symbol, function
    }
  };
  return plain(root, 0);
}

class Encoder {
  #path = [];
  #ancestors = new Set();
  #blobs = [];
  #size = 0;

  encode(args) {
    const text = this.#value(args, '');
    return { text: text ?? '{}', blobs: this.#blobs.length ? this.#blobs : null };
  }

  // The text of v, or undefined for a value JSON leaves out (undefined).
  #value(v, key) {
    if (v !== null && typeof v === 'object') {
      const bytes = bytesOf(v);  // before toJSON: a Node Buffer has one
      if (bytes !== undefined) return this.#bytes(bytes);
      if (typeof v.toJSON === 'function') v = v.toJSON(String(key));
    }
    switch (typeof v) {
      case 'undefined':
        return undefined;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        return this.#number(v);
      case 'bigint':
        if (v < INT64_MIN || v > INT64_MAX) this.#fail(`${v} is outside the 64-bit integer range`);
        return v.toString();
      case 'string':
        return this.#string(v);
      case 'function':
        return this.#fail('a function cannot be stored');
      case 'symbol':
        return this.#fail('a symbol cannot be stored');
      default:
        return v === null ? 'null' : this.#object(v);
    }
  }

  #number(v) {
    if (v !== v) this.#fail('NaN cannot be stored (SQLite and JSON have no NaN)');
    if (v === Infinity || v === -Infinity) this.#fail(`${v} cannot be stored (only finite numbers)`);
    if (v === 0 && 1 / v < 0) return '-0.0';
    if (v <= MAX_SAFE && v >= -MAX_SAFE) return String(v);
    // Beyond 2^53 every double is a whole number: its exact digits, and
    // beyond int64 a ".0" so that the engine reads a double, not an integer.
    const digits = BigInt(v).toString();
    return v >= TWO_63 || v < -TWO_63 ? `${digits}.0` : digits;
  }

  #string(s) {
    this.#grow(s.length);  // a byte per unit at least, checked before escaping it
    if (!wellFormed(s)) this.#fail(`is not well-formed UTF-16: a lone surrogate at index ${loneSurrogateAt(s)}`);
    const text = JSON.stringify(s);
    this.#grow(text.length - s.length);
    return text;
  }

  #bytes(bytes) {
    if (bytes === null) this.#fail('its ArrayBuffer is detached (transferred away), so it has no bytes to send');
    this.#grow(bytes.byteLength);
    this.#blobs.push({ path: [...this.#path], bytes });
    return 'null';
  }

  #object(v) {
    const tag = Object.prototype.toString.call(v);
    switch (tag) {
      case '[object Number]':
      case '[object String]':
      case '[object Boolean]':
      case '[object BigInt]':
        return this.#value(v.valueOf(), '');  // a boxed primitive, as JSON.stringify unboxes it
      case '[object Object]':
      case '[object Array]':
        break;
      default:
        this.#fail(`a ${tag.slice(8, -1)} cannot be stored (plain objects, arrays, numbers, bigints, strings, booleans, null and bytes can)`);
    }
    if (this.#ancestors.has(v)) this.#fail('is a cyclic reference (the object contains itself)');
    if (this.#ancestors.size >= MAX_DEPTH) this.#fail(`is nested deeper than ${MAX_DEPTH} levels`);
    this.#ancestors.add(v);
    let text;
    if (Array.isArray(v)) {
      // Each item takes two bytes at least ("0,"): refuse a huge (sparse) array before walking it.
      this.#grow(v.length * 2);
      const items = [];
      for (let i = 0; i < v.length; i++) {
        this.#path.push(i);
        items.push(this.#value(v[i], i) ?? 'null');
        this.#path.pop();
      }
      text = `[${items.join(',')}]`;
    } else {
      const members = [];
      for (const key of Object.keys(v)) {
        this.#path.push(key);
        if (!wellFormed(key)) this.#fail(`this key is not well-formed UTF-16: a lone surrogate at index ${loneSurrogateAt(key)}`);
        const item = this.#value(v[key], key);
        if (item !== undefined) members.push(`${JSON.stringify(key)}:${item}`);
        this.#path.pop();
      }
      text = `{${members.join(',')}}`;
    }
    this.#ancestors.delete(v);
    return text;
  }

  #grow(bytes) {
    this.#size += bytes;
    if (this.#size > MAX_REQUEST_BYTES) {
      this.#fail(`makes the request larger than ${MAX_REQUEST_BYTES} bytes`, { limit: MAX_REQUEST_BYTES });
    }
  }

  #fail(problem, details = {}) {
    const field = fieldOf(this.#path);
    throw new CampaignStoreError('INVALID_ARGUMENT', `${field || 'args'}: ${problem}`, { field: field || 'args', ...details });
  }
}

/** The bytes a value stands for (a copy-free Uint8Array view), null when detached, undefined if it is not bytes. */
export function bytesOf(v) {
  let buffer;
  let view;
  if (ArrayBuffer.isView(v)) {
    buffer = v.buffer;
    if (!isDetached(buffer)) view = new Uint8Array(buffer, v.byteOffset, v.byteLength);
  } else if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer)) {
    buffer = v;
    if (!isDetached(buffer)) view = new Uint8Array(buffer);
  } else {
    return undefined;
  }
  return view ?? null;
}

/** True for an ArrayBuffer whose memory was transferred away. */
export function isDetached(buffer) {
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** "params[0]", "stepData.audience.ages[1]": a path as errors name it. */
export function fieldOf(path) {
  let s = '';
  for (const step of path) s += typeof step === 'number' ? `[${step}]` : (s ? `.${step}` : step);
  return s;
}

function loneSurrogateAt(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xD800 && c <= 0xDBFF) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xDC00 && d <= 0xDFFF) i++;
      else return i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return i;
    }
  }
  return -1;
}

/**
 * An answer envelope's text (and its blobs) as the envelope object, with
 * every "values" entry put in its place.
 * @param {string} text
 * @param {Uint8Array[] | null | undefined} blobs
 * @param {'bigint'|'string'|'number'} [int64]
 */
export function decodeAnswer(text, blobs, int64 = 'bigint') {
  const envelope = JSON.parse(text);
  if (envelope.values) envelope.result = placeValues(envelope.result, envelope.values, blobs, int64);
  return envelope;
}

function placeValues(result, values, blobs, int64) {
  for (const entry of values) {
    let value;
    if (entry.int !== undefined) {
      value = int64 === 'string' ? entry.int : int64 === 'number' ? Number(entry.int) : BigInt(entry.int);
    } else {
      value = blobs?.[entry.blob];
      if (!(value instanceof Uint8Array)) throw new CampaignStoreError('INTERNAL', `an answer's blob ${entry.blob} is missing`);
    }
    const at = entry.at;
    if (at.length === 0) return value;
    let node = result;
    for (let i = 0; i < at.length - 1; i++) node = node[at[i]];
    node[at[at.length - 1]] = value;
  }
  return result;
}

/** Checks an `int64` option; undefined stays undefined (the default applies). */
export function int64Option(value, field = 'int64') {
  if (value === undefined || INT64_MODES.includes(value)) return value;
  throw new CampaignStoreError('INVALID_ARGUMENT', `${field} must be one of ${INT64_MODES.join(', ')}`, { field });
}
