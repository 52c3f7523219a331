// Stand-ins for what a browser gives the multi-tab coordinator, so its
// election, forwarding and handover run in one Node thread:
//   FakeLocks    navigator.locks (exclusive, FIFO, AbortSignal), plus
//                kill(): the holder's tab died, its lock is released
//   ChannelHub   BroadcastChannel (async delivery to the other channels of
//                the same name), plus fault injection: drop(tag, message)
export class FakeLocks {
  #queues = new Map();

  request(name, options, callback) {
    const queue = this.#queue(name);
    return new Promise((resolve, reject) => {
      const entry = { callback, resolve, reject, running: false };
      queue.push(entry);
      options?.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(entry);
        if (i > 0 || (i === 0 && !entry.running)) {
          queue.splice(i, 1);
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        }
      });
      this.#pump(name);
    });
  }

  /** The tab holding `name` died: its lock goes to the next in line. */
  kill(name) {
    const queue = this.#queue(name);
    if (queue[0]?.running) queue.shift();
    this.#pump(name);
  }

  #queue(name) {
    if (!this.#queues.has(name)) this.#queues.set(name, []);
    return this.#queues.get(name);
  }

  #pump(name) {
    const queue = this.#queue(name);
    const head = queue[0];
    if (!head || head.running) return;
    head.running = true;
    Promise.resolve().then(() => head.callback({ name, mode: 'exclusive' })).then(
      (value) => this.#done(name, head, () => head.resolve(value)),
      (err) => this.#done(name, head, () => head.reject(err)),
    );
  }

  #done(name, entry, settle) {
    const queue = this.#queue(name);
    if (queue[0] === entry) queue.shift();  // not if kill() already dropped it
    settle();
    this.#pump(name);
  }
}

export class ChannelHub {
  #channels = new Set();
  /** (tag, message) => true drops a message sent by the tab `tag`. */
  drop = null;
  sent = [];

  /** A BroadcastChannel factory for the tab `tag`. */
  factory(tag) {
    return (name) => {
      const channel = {
        name,
        tag,
        onmessage: null,
        closed: false,
        postMessage: (message) => {
          if (channel.closed) throw Object.assign(new Error('channel is closed'), { name: 'InvalidStateError' });
          const copy = structuredClone(message);
          this.sent.push({ tag, message: copy });
          if (this.drop?.(tag, copy)) return;
          for (const other of this.#channels) {
            if (other === channel || other.name !== name) continue;
            setImmediate(() => { if (!other.closed) other.onmessage?.({ data: structuredClone(copy) }); });
          }
        },
        close: () => {
          channel.closed = true;
          this.#channels.delete(channel);
        },
      };
      this.#channels.add(channel);
      return channel;
    };
  }

  /** Cuts the tab `tag` off (its worker was terminated). */
  disconnect(tag) {
    for (const c of [...this.#channels]) if (c.tag === tag) c.close();
  }
}
