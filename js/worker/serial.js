// A queue that runs async jobs one at a time, in the order they were added.
// The worker uses it so that requests are served in order even when serving
// one has to wait (loading the wasm, OPFS opening more files).
export class Serial {
  #tail = Promise.resolve();

  /**
   * @template T
   * @param {() => T | Promise<T>} job
   * @returns {Promise<T>}
   */
  run(job) {
    const result = this.#tail.then(job);
    this.#tail = result.then(() => {}, () => {});
    return result;
  }

  /** Resolves once every job added so far has finished. */
  idle() {
    return this.run(() => {});
  }
}
