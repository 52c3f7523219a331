// Multi-tab: OPFS access handles are exclusive, so exactly one tab's worker
// (the leader, holder of a Web Lock named after the store) opens the
// database; the workers of other tabs forward their requests to it over a
// BroadcastChannel and relay its change notifications. Callers never see
// which tab they are in.
//
// Handover: when the leader's worker goes away (tab closed, discarded) its
// lock is released and a waiting tab takes it, opens the database and
// announces itself. Every tab then resends the requests it has not had
// answers to, in their original order. A request the old leader committed
// but could not answer is recognised by its key in the request log (see
// executor.js) and answered from there: no committed write is lost, and none
// is applied twice. On pagehide/freeze the page suspends its worker, which
// steps down and releases the handles at once instead of at termination.
//
// Channel messages (all carry `t`):
//   {t:'who', from}                       who is the leader?
//   {t:'leader', leader}                  I am (sent on election and to 'who')
//   {t:'bye', leader}                     I am stepping down
//   {t:'req', from, to, key, op, args}    a forwarded request (key = tabId:id)
//   {t:'res', to, key, body}              its answer: {ok, result|text+blobs|error, changes}
//   {t:'changes', origin, changes}        a commit; origin already has it in its answer
import { CampaignStoreError } from '../errors.js';
import { errorToWire } from '../protocol/wire.js';

const OPEN_ATTEMPTS = 8;          // the previous leader may still hold handles briefly
const OPEN_RETRY_MS = 150;
const REJOIN_DELAY_MS = 1000;
const MAX_FAILED_TERMS = 3;
const CLOSE_DRAIN_MS = 5000;

export class TabCoordinator {
  #o;
  #channel = null;
  /** 'joining' | 'starting' | 'leader' | 'suspended' | 'failed' | 'closed' */
  #state = 'joining';
  #leader = null;
  /** Own requests not answered yet, in submission order. @type {Map<string, {id: number, op: string, args: any, sentTo: string|null}>} */
  #pending = new Map();
  #abort = null;
  #release = null;
  #db = null;
  #failedTerms = 0;
  #failure = null;
  #ready = null;

  /**
   * @param {{
   *   name: string, tabId: string,
   *   locks: {request: Function},                 // navigator.locks
   *   createChannel: (name: string) => {postMessage: Function, onmessage: any, close: Function},
   *   exec: {run: Function, runOnce: Function, prune: Function},  // serialized engine access
   *   openDb: () => Promise<{close: () => Promise<void>}>,
   *   reply: (id: number, body: object) => void,   // answer to our own main thread
   *   emitChanges: (changes: any[]) => void,      // changes made by other tabs
   *   onRole?: (role: 'leader'|'follower', leader: string|null) => void,
   *   log?: (level: string, message: string, details?: object) => void,
   * }} options
   */
  constructor(options) {
    this.#o = options;
  }

  get role() { return this.#state === 'leader' ? 'leader' : 'follower'; }
  get leader() { return this.#leader; }

  /** Joins the election; resolves with the first role known (or 'waiting'). */
  start({ timeoutMs = 10000 } = {}) {
    this.#channel = this.#o.createChannel(`campaign-store:${this.#o.name}`);
    this.#channel.onmessage = (e) => this.#onChannel(e.data);
    const ready = new Promise((resolve, reject) => { this.#ready = { resolve, reject }; });
    const timer = setTimeout(() => this.#settleReady('waiting'), timeoutMs);
    this.#join();
    return ready.finally(() => clearTimeout(timer));
  }

  /** A request from our own main thread. */
  submit(id, op, args) {
    if (this.#state === 'closed' || this.#state === 'failed') {
      const err = this.#failure ?? new CampaignStoreError('CLOSED', 'the store is closed');
      this.#o.reply(id, { ok: false, error: errorToWire(err), changes: [] });
      return;
    }
    if (this.#state === 'leader') {
      this.#serveOwn(id, op, args);
      return;
    }
    const key = `${this.#o.tabId}:${id}`;
    this.#pending.set(key, { id, op, args, sentTo: null });
    this.#forward(key);
  }

  /** Page hidden or frozen: leave the election and release the storage. */
  async suspend() {
    if (this.#state === 'closed' || this.#state === 'suspended') return;
    const wasLeader = this.#state === 'leader';
    this.#state = 'suspended';
    this.#abort?.abort();
    if (wasLeader) await this.#stepDown();
  }

  /** Page shown again: take part in the election again. */
  resume() {
    if (this.#state !== 'suspended') return;
    this.#join();
  }

  /** Waits (bounded) for own requests in flight, then leaves for good. */
  async close() {
    if (this.#state === 'closed') return;
    const deadline = Date.now() + CLOSE_DRAIN_MS;
    while (this.#pending.size && Date.now() < deadline && this.#state !== 'failed') {
      await new Promise((r) => setTimeout(r, 20));
    }
    const wasLeader = this.#state === 'leader';
    this.#state = 'closed';
    this.#abort?.abort();
    if (wasLeader) await this.#stepDown();
    this.#rejectPending(new CampaignStoreError('CLOSED', 'the store was closed before the request was served'));
    this.#channel?.close();
  }

  // ------------------------------------------------------------ election

  #join() {
    this.#state = 'joining';
    this.#abort = new AbortController();
    this.#o.locks.request(`campaign-store:${this.#o.name}`, { signal: this.#abort.signal }, () => this.#lead())
      .catch((err) => {
        if (err?.name !== 'AbortError') this.#log('warn', `leader lock failed: ${err?.message ?? err}`);
      });
    this.#post({ t: 'who', from: this.#o.tabId });
  }

  // Runs while this worker holds the lock; returning releases it.
  async #lead() {
    if (this.#state !== 'joining') return;
    this.#state = 'starting';
    let db = null;
    let lastError = null;
    for (let attempt = 0; attempt < OPEN_ATTEMPTS && !db && this.#state === 'starting'; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, OPEN_RETRY_MS * attempt));
      try {
        db = await this.#o.openDb();
      } catch (err) {
        lastError = err;
        if (err?.code === 'UNSUPPORTED') break;  // no other tab or attempt can do better
      }
    }
    if (this.#state !== 'starting') {  // suspended or closed while opening
      await db?.close();
      return;
    }
    if (!db) {
      this.#leadFailed(lastError);
      return;
    }
    this.#db = db;
    this.#failedTerms = 0;
    this.#state = 'leader';
    this.#leader = this.#o.tabId;
    try { await this.#o.exec.prune(); } catch (err) { this.#log('warn', `request log prune failed: ${err.message}`); }
    const released = new Promise((resolve) => { this.#release = resolve; });
    this.#post({ t: 'leader', leader: this.#o.tabId });
    this.#o.onRole?.('leader', this.#o.tabId);
    this.#log('info', 'this tab now owns the database');
    // Own requests that an earlier leader may or may not have applied.
    const earlier = [...this.#pending.entries()];
    this.#pending.clear();
    for (const [key, p] of earlier) this.#serveOwn(p.id, p.op, p.args, key);
    this.#settleReady('leader');
    await released;
  }

  #leadFailed(err) {
    this.#failedTerms++;
    this.#log('error', `could not open the database as leader: ${err?.message ?? err}`,
      { attempt: this.#failedTerms });
    if (this.#failedTerms >= MAX_FAILED_TERMS || err?.code === 'UNSUPPORTED') {
      this.#state = 'failed';
      this.#failure = err instanceof CampaignStoreError ? err : new CampaignStoreError('IO', String(err?.message ?? err));
      this.#rejectPending(this.#failure);
      this.#ready?.reject(this.#failure);
      return;
    }
    // Let another tab try; come back later as a candidate.
    this.#state = 'suspended';
    setTimeout(() => { if (this.#state === 'suspended') this.#join(); }, REJOIN_DELAY_MS);
  }

  async #stepDown() {
    this.#post({ t: 'bye', leader: this.#o.tabId });
    this.#leader = null;
    await this.#o.exec.idle?.();
    const db = this.#db;
    this.#db = null;
    try { await db?.close(); } catch (err) { this.#log('warn', `closing the database failed: ${err.message}`); }
    this.#release?.();
    this.#release = null;
  }

  // ------------------------------------------------------------ serving

  #serveOwn(id, op, args, key = null) {
    // Our own page's requests are answered as envelope text where the
    // executor can (Executor.runText); the other tabs still hear the changes.
    const { exec } = this.#o;
    const body = key ? exec.runOnce(key, op, args) : (exec.runText ?? exec.run)(op, args);
    body.then((b) => {
      this.#o.reply(id, b);
      const changes = b.changes ?? [];
      if (changes.length) this.#post({ t: 'changes', origin: this.#o.tabId, changes });
    });
  }

  #serveRemote({ from, key, op, args }) {
    this.#o.exec.runOnce(key, op, args).then((body) => {
      // An answer that cannot cross the channel still answers: as its error.
      const failed = this.#post({ t: 'res', to: from, key, body });
      if (failed) {
        const error = errorToWire(new CampaignStoreError('INTERNAL', `the answer to ${op} could not be sent to its tab`, { op }));
        this.#post({ t: 'res', to: from, key, body: { ok: false, error, changes: [] } });
      }
      const changes = body.changes ?? [];
      if (changes.length) {
        this.#post({ t: 'changes', origin: from, changes });
        this.#o.emitChanges(changes);
      }
    });
  }

  #forward(key) {
    const p = this.#pending.get(key);
    const to = this.#leader;
    if (!p || !to || to === this.#o.tabId || this.#state === 'suspended') return;
    p.sentTo = to;
    const failed = this.#post({ t: 'req', from: this.#o.tabId, to, key, op: p.op, args: p.args });
    if (!failed) return;
    // Arguments the channel cannot carry: this request is answered now, or never.
    this.#pending.delete(key);
    const error = failed.name === 'DataCloneError'
      ? new CampaignStoreError('INVALID_ARGUMENT', `cannot forward the arguments of ${p.op} to the leading tab: ${failed.message}`, { op: p.op })
      : new CampaignStoreError('CLOSED', `cannot reach the leading tab: ${failed.message}`, { op: p.op });
    this.#o.reply(p.id, { ok: false, error: errorToWire(error), changes: [] });
  }

  #onChannel(m) {
    switch (m?.t) {
      case 'who':
        if (this.#state === 'leader') this.#post({ t: 'leader', leader: this.#o.tabId });
        break;
      case 'leader':
        if (m.leader === this.#o.tabId) break;
        if (this.#state === 'leader') {
          this.#log('error', `another tab claims to lead (${m.leader}); locks should make this impossible`);
          break;
        }
        if (m.leader !== this.#leader) {
          this.#leader = m.leader;
          this.#o.onRole?.('follower', m.leader);
        }
        // Resend whatever went to an earlier leader (or nowhere), in order.
        for (const [key, p] of this.#pending) if (p.sentTo !== m.leader) this.#forward(key);
        this.#settleReady('follower');
        break;
      case 'bye':
        if (this.#leader === m.leader) this.#leader = null;
        break;
      case 'req':
        // Addressed to a leader that stepped down: dropped; the sender
        // resends when the next leader announces itself.
        if (m.to === this.#o.tabId && this.#state === 'leader') this.#serveRemote(m);
        break;
      case 'res': {
        if (m.to !== this.#o.tabId) break;
        const p = this.#pending.get(m.key);
        if (!p) break;  // answered already (a late duplicate from a handover)
        this.#pending.delete(m.key);
        this.#o.reply(p.id, m.body);
        break;
      }
      case 'changes':
        if (m.origin !== this.#o.tabId) this.#o.emitChanges(m.changes);
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------------------ helpers

  // Null when sent; the error when the message could not be (the channel
  // is closed, or cannot clone it).
  #post(message) {
    try {
      this.#channel?.postMessage(message);
      return null;
    } catch (err) {
      this.#log('error', `cannot post to the other tabs: ${err.message}`, { t: message.t });
      return err ?? new Error('postMessage failed');
    }
  }

  #rejectPending(err) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) this.#o.reply(p.id, { ok: false, error: errorToWire(err), changes: [] });
  }

  #settleReady(role) {
    this.#ready?.resolve(role);
  }

  #log(level, message, details) {
    this.#o.log?.(level, message, details);
  }
}
