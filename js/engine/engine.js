// A synchronous handle on one Engine instance inside the wasm module: the one
// door, call(op, args) -> result, throwing CampaignStoreError on failure.
// Used directly by the worker (js/worker/) and by tests of the bare bindings.
import { CampaignStoreError } from '../errors.js';
import { loadWasmModule } from './load.js';

export class Engine {
  /** @param {any} module the instantiated wasm module */
  constructor(module) {
    this.module = module;
    this.native = new module.Engine();
    /** Tables touched by the last call's committed transactions. */
    this.lastChanges = [];
  }

  /**
   * @param {string} op
   * @param {unknown} [args]
   * @returns {unknown} the op's result
   */
  call(op, args = {}) {
    if (!this.native) throw new CampaignStoreError('CLOSED', 'engine is disposed');
    const envelope = JSON.parse(this.native.call(op, JSON.stringify(args ?? {})));
    this.lastChanges = envelope.changes ?? [];
    if (!envelope.ok) throw CampaignStoreError.fromWire(envelope.error);
    return envelope.result;
  }

  dispose() {
    if (!this.native) return;
    try { this.native.call('close', '{}'); } finally {
      this.native.delete();
      this.native = null;
    }
  }
}

/** Loads the module (once) and returns a fresh Engine. */
export async function createEngine(options) {
  return new Engine(await loadWasmModule(options));
}
