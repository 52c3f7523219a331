// The host contract: one check per host verb, written once, run against
// every JS host (memory and Node under node:test, OPFS in Chromium). It
// needs no test framework so the browser page can import it as is.
// `location.open()` must open the same pool each time (a "restart").

function check(ok, message) {
  if (!ok) throw new Error(message);
}

function pattern(n, seed) {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 31 + seed * 7 + 1) & 0xff;
  return a;
}

const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

async function withHost(location, fn) {
  const host = await location.open();
  try {
    return await fn(host);
  } finally {
    host.release();
  }
}

export const hostContract = [
  ['files() lists distinct open pool files, at least the capacity', (loc) => withHost(loc, (h) => {
    const ids = h.files();
    check(ids.length >= 4, `expected at least 4 files, got ${ids.length}`);
    check(new Set(ids).size === ids.length, 'ids are distinct');
    check(ids.every((id) => Number.isInteger(id) && id >= 0), 'ids are non-negative integers');
  })],

  ['write then read round-trips, into views with an offset (heap subarrays)', (loc) => withHost(loc, (h) => {
    const [id] = h.files();
    h.truncate(id, 0);
    const heap = new Uint8Array(20000);
    const src = heap.subarray(1000, 11000);
    src.set(pattern(10000, 1));
    check(h.write(id, src, 4097) === 10000, 'write returns the bytes written');
    const dst = heap.subarray(12000, 17000);
    check(h.read(id, dst, 4097 + 2000) === 5000, 'read returns the bytes read');
    check(equal(dst, pattern(10000, 1).subarray(2000, 7000)), 'read returns what was written');
    check(equal(heap.subarray(11000, 12000), new Uint8Array(1000)), 'read wrote only inside its view');
    h.truncate(id, 0);
  })],

  ['read at the end returns fewer bytes, past the end none', (loc) => withHost(loc, (h) => {
    const [id] = h.files();
    h.truncate(id, 0);
    h.write(id, pattern(100, 2), 0);
    check(h.read(id, new Uint8Array(200), 50) === 50, 'a read across the end is short');
    check(h.read(id, new Uint8Array(10), 100) === 0, 'a read at the end reads nothing');
    check(h.read(id, new Uint8Array(10), 5000) === 0, 'a read past the end reads nothing');
    h.truncate(id, 0);
  })],

  ['truncate shrinks and extends with zeros; getSize follows', (loc) => withHost(loc, (h) => {
    const [id] = h.files();
    h.truncate(id, 0);
    check(h.getSize(id) === 0, 'empty after truncate(0)');
    h.write(id, pattern(8192, 3), 0);
    check(h.getSize(id) === 8192, 'size after write');
    h.truncate(id, 100);
    check(h.getSize(id) === 100, 'size after shrinking');
    h.truncate(id, 5000);
    check(h.getSize(id) === 5000, 'size after extending');
    const tail = new Uint8Array(4900).fill(0xee);
    h.read(id, tail, 100);
    check(tail.every((b) => b === 0), 'the extension reads as zeros, not the old bytes');
    h.truncate(id, 0);
  })],

  ['flush succeeds on a written file', (loc) => withHost(loc, (h) => {
    const [id] = h.files();
    h.write(id, pattern(4096, 4), 0);
    h.flush(id);
    h.truncate(id, 0);
    h.flush(id);
  })],

  ['close(id) removes the file; its verbs then throw', (loc) => withHost(loc, (h) => {
    const ids = h.files();
    const last = ids[ids.length - 1];
    h.close(last);
    check(!h.files().includes(last), 'a closed file is no longer listed');
    let threw = false;
    try {
      h.getSize(last);
    } catch {
      threw = true;
    }
    check(threw, 'a verb on a closed file throws');
  })],

  ['grow adds files now, or after maintain()', (loc) => withHost(loc, async (h) => {
    const before = h.files().length;
    const added = h.grow(2);
    if (added === 0) await h.maintain();
    check(h.files().length === before + 2, `expected ${before + 2} files, got ${h.files().length}`);
  })],

  ['data survives closing and reopening the pool', async (loc) => {
    let id;
    await withHost(loc, (h) => {
      id = h.files()[1];
      h.truncate(id, 0);
      h.write(id, pattern(3000, 5), 10);
      h.flush(id);
    });
    await withHost(loc, (h) => {
      check(h.files().includes(id), 'the file is there again');
      const got = new Uint8Array(3000);
      check(h.read(id, got, 10) === 3000, 'read after reopening');
      check(equal(got, pattern(3000, 5)), 'same bytes after reopening');
      h.truncate(id, 0);
    });
  }],

  ['a second opener while the pool is open gets BUSY', (loc) => withHost(loc, async () => {
    let error;
    try {
      const second = await loc.open();
      second.release();
    } catch (e) {
      error = e;
    }
    check(error?.code === 'BUSY', `expected BUSY, got ${error?.code ?? 'no error'}: ${error?.message}`);
    check(/in use|open in another|held/.test(error.message), `a clear message: ${error.message}`);
  })],
];
