// Request/response bookkeeping over one message port: each request gets an
// id and owns exactly one promise; a response settles it, and fail() (worker
// crash, terminate, close) settles every promise still pending, once.
import { CampaignStoreError } from '../errors.js';
import { errorFromWire, isResponse } from '../protocol/wire.js';
import { prepareRequest } from '../protocol/transfer.js';
import { checkArgs, decodeAnswer } from '../protocol/values.js';

export class RpcClient {
  #post;
  #onEvent;
  #onBusyChange;
  #nextId = 1;
  /** @type {Map<number, {resolve: Function, reject: Function, op: string}>} */
  #pending = new Map();
  /** Set once the port is gone; later requests fail with it at once. */
  #failure = null;
  /** How answers give integers beyond 2^53 - 1 unless a request says otherwise. */
  int64 = 'bigint';

  /**
   * @param {{
   *   post: (message: unknown, transfer: Transferable[]) => void,
   *   onEvent?: (event: any) => void,
   *   onBusyChange?: (busy: boolean) => void,
   * }} port
   */
  constructor({ post, onEvent, onBusyChange }) {
    this.#post = post;
    this.#onEvent = onEvent ?? (() => {});
    this.#onBusyChange = onBusyChange ?? (() => {});
  }

  get pendingCount() { return this.#pending.size; }
  get failed() { return this.#failure !== null; }

  /**
   * Sends one request. Resolves with `{result, changes}`; rejects with a
   * CampaignStoreError (from the worker, or CLOSED if the port goes away).
   * `int64` says how integers beyond 2^53 - 1 come back (default: the
   * client's). Arguments that cannot be sent reject at once, with nothing
   * sent, naming the value (values.js).
   * @returns {Promise<{result: any, changes: any[]}>}
   */
  request(op, args, { int64 } = {}) {
    if (this.#failure) return Promise.reject(copyError(this.#failure));
    const id = this.#nextId++;
    let message;
    try {
      message = prepareRequest(args ?? {});
    } catch (err) {
      return Promise.reject(unsendable(op, args, err));
    }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, op, int64: int64 ?? this.int64 });
      if (this.#pending.size === 1) this.#onBusyChange(true);
      try {
        this.#post({ id, op, args: message.value }, message.transfer);
      } catch (err) {
        // DataCloneError: a function or similar in args. Nothing was sent.
        this.#settle(id);
        reject(unsendable(op, args, err));
      }
    });
  }

  /** Feed every message that arrives from the worker through here. */
  receive(message) {
    if (!isResponse(message)) {
      this.#onEvent(message);
      return;
    }
    const entry = this.#settle(message.id);
    if (!entry) return;  // a late answer after fail(): already settled
    if (!message.ok) {
      entry.reject(errorFromWire(message.error));
      return;
    }
    if (typeof message.text !== 'string') {
      entry.resolve({ result: message.result, changes: message.changes ?? [] });
      return;
    }
    // The engine's envelope as C++ wrote it (wire.js): parsed here, once.
    let envelope;
    try {
      envelope = decodeAnswer(message.text, message.blobs, entry.int64);
    } catch (err) {
      entry.reject(err instanceof CampaignStoreError ? err
        : new CampaignStoreError('INTERNAL', `unreadable answer to ${entry.op}: ${err.message}`, { op: entry.op }));
      return;
    }
    if (envelope?.ok === true) entry.resolve({ result: envelope.result, changes: envelope.changes ?? message.changes ?? [] });
    else entry.reject(errorFromWire(envelope?.error ?? { code: 'INTERNAL', message: `malformed answer to ${entry.op}` }));
  }

  /**
   * Rejects everything pending (and everything sent later) with `code`.
   * Only the first failure counts: a crash after close() stays "closed".
   */
  fail(code, message, details = {}) {
    if (this.#failure) return;
    this.#failure = new CampaignStoreError(code, message, details);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    if (pending.length) this.#onBusyChange(false);
    for (const { reject, op } of pending) reject(copyError(this.#failure, { op }));
  }

  #settle(id) {
    const entry = this.#pending.get(id);
    if (!entry) return undefined;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#onBusyChange(false);
    return entry;
  }
}

// Why a request could not be posted: the value values.js names (the engine
// would refuse it the same way), else what the structured clone said.
function unsendable(op, args, err) {
  if (err instanceof CampaignStoreError) return err;
  try {
    checkArgs(args);
  } catch (named) {
    if (named instanceof CampaignStoreError) {
      named.details = { ...named.details, op };
      return named;
    }
  }
  return new CampaignStoreError('INVALID_ARGUMENT', `cannot send arguments of ${op}: ${err?.message ?? err}`, { op });
}

// Each rejected promise gets its own error object (callers may mutate them).
function copyError(err, extra = {}) {
  return new CampaignStoreError(err.code, err.message, { ...err.details, ...extra });
}
