// Runs ops on the engine and turns every outcome into a response body
// `{ok, result|error, changes}`; it never throws. runOnce() is the
// exactly-once path for requests that another tab forwarded: see below.
import { errorToWire } from '../protocol/wire.js';
import { callWithBytes, carriesBytes } from '../engine/bytes.js';

/**
 * Where the leader records forwarded writes, in the same transaction as the
 * write itself. If the leader tab dies after committing but before its answer
 * reached the sender, the sender resends the request to the next leader,
 * which finds the key here and answers with the recorded result instead of
 * applying the write twice. The core's schema migrations create it
 * (src/model/migrations.cpp, version 7).
 */
export const REQUEST_LOG_TABLE = '_cs_tab_requests';
const LOG_RETENTION_MS = 10 * 60 * 1000;

export class Executor {
  /** @param {import('../engine/engine.js').Engine} engine */
  constructor(engine) {
    this.engine = engine;
  }

  /** @returns {{ok: boolean, result?: any, error?: object, changes: any[]}} */
  run(op, args) {
    try {
      const result = this.#invoke(op, args);
      return { ok: true, result, changes: this.engine.lastChanges };
    } catch (err) {
      return { ok: false, error: errorToWire(err), changes: [] };
    }
  }

  /**
   * run(), with a successful answer left as the engine's envelope text and
   * its blobs, `{ok: true, text, blobs?, changes}` (Engine.callEnvelope), for the
   * client to parse: one string crosses to the other thread instead of an
   * object graph. Ops whose answers carry bytes of their own keep run()'s
   * form (their bytes are transferred).
   */
  runText(op, args) {
    if (carriesBytes(this.engine, op)) return this.run(op, args);
    try {
      return textBody(this.engine.callEnvelope(op, args));
    } catch (err) {
      return { ok: false, error: errorToWire(err), changes: [] };
    }
  }

  /**
   * Applies a forwarded request at most once per `key` (`tabId:requestId`):
   * BEGIN; look the key up; run the op; record the key and answer; COMMIT.
   * Ops nest inside (the core uses SAVEPOINTs when a transaction is open).
   * The answer is kept as the envelope text and blobs it was, so a replay
   * gives back exactly what the op answered (bigints and bytes included).
   */
  runOnce(key, op, args) {
    if (!this.isLogged(op)) return this.runText(op, args);
    const exec = (sql, params) => this.engine.call('sql.exec', { sql, params });
    try {
      exec('BEGIN IMMEDIATE');
    } catch (err) {
      return { ok: false, error: errorToWire(err), changes: [] };
    }
    try {
      const seen = this.engine.call('sql.query', {
        sql: `SELECT response, blobs FROM ${REQUEST_LOG_TABLE} WHERE key = ?`, params: [key],
      });
      if (seen.rows.length) {
        exec('ROLLBACK');
        // Its changes were announced by the leader that committed it.
        // `blobs` NULL: the result as JSON (an op with bytes of its own);
        // otherwise the envelope text, with its blobs (maybe none).
        const { response, blobs } = seen.rows[0];
        return blobs === null
          ? { ok: true, result: JSON.parse(response), changes: [] }
          : { ...textBody({ text: response, blobs: splitBlobs(blobs) }), changes: [] };
      }
      let body;
      let logged;
      if (carriesBytes(this.engine, op)) {
        const result = this.#invoke(op, args);
        body = { ok: true, result };
        logged = [JSON.stringify(result ?? null), null];
      } else {
        const answer = this.engine.callEnvelope(op, args);
        body = textBody(answer);
        logged = [answer.text, joinBlobs(answer.blobs)];
      }
      exec(`INSERT INTO ${REQUEST_LOG_TABLE}(key, response, at, blobs) VALUES (?, ?, ?, ?)`,
        [key, logged[0], Date.now(), logged[1]]);
      exec('COMMIT');
      body.changes = this.engine.lastChanges.filter((table) => table !== REQUEST_LOG_TABLE);
      return body;
    } catch (err) {
      try { exec('ROLLBACK'); } catch { /* the core may have rolled back already */ }
      return { ok: false, error: errorToWire(err), changes: [] };
    }
  }

  /**
   * True when a forwarded `op` goes through the request log: the op table
   * says it writes (replay 'once'). Reads, and ops the table marks 'rerun'
   * (storage ops, which refuse to run inside a transaction; sync's request
   * builder and answers, whose pull pages need foreign keys off, which a
   * transaction ignores), simply run again. An op the core does not know is
   * logged: it fails inside the log's transaction, which changes nothing.
   */
  isLogged(op) {
    return this.engine.ops.get(op)?.replay !== 'rerun';
  }

  /** Drops log entries no sender can still be waiting for. */
  pruneLog(now = Date.now()) {
    this.engine.call('sql.exec', {
      sql: `DELETE FROM ${REQUEST_LOG_TABLE} WHERE at < ?`, params: [now - LOG_RETENTION_MS],
    });
  }

  #invoke(op, args) {
    return callWithBytes(this.engine, op, args);
  }
}

// An envelope text answer as a response body; blobs only when there are some.
function textBody({ text, blobs, changes = [] }) {
  return blobs?.length ? { ok: true, text, blobs, changes } : { ok: true, text, changes };
}

// An answer's blobs as one BLOB for the log (empty when it has none): each
// as a 4-byte length, then its bytes.
function joinBlobs(blobs) {
  if (!blobs) return new Uint8Array(0);
  const out = new Uint8Array(blobs.reduce((n, b) => n + 4 + b.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of blobs) {
    view.setUint32(at, b.byteLength);
    out.set(b, at + 4);
    at += 4 + b.byteLength;
  }
  return out;
}

function splitBlobs(joined) {
  const view = new DataView(joined.buffer, joined.byteOffset, joined.byteLength);
  const blobs = [];
  for (let at = 0; at < joined.byteLength;) {
    const n = view.getUint32(at);
    blobs.push(joined.slice(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return blobs;
}
