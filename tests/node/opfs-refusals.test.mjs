// How the OPFS host names a browser's refusals, with a stand-in for
// navigator.storage (a test double: Node has no OPFS) throwing the errors
// browsers throw: Firefox private browsing (SecurityError from
// getDirectory), WebKit without sync access handles (NotSupportedError,
// InvalidStateError from createSyncAccessHandle). Each becomes UNSUPPORTED
// with the browser's error name; a held handle stays BUSY. Real Firefox
// private browsing: tests/browser/firefox.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openOpfsPool, probeOpfs } from '../../js/hosts/opfs.js';

function fakeStorage({ getDirectory, createSyncAccessHandle }) {
  const removed = [];
  const root = {
    removed,
    async getFileHandle() { return { createSyncAccessHandle }; },
    async removeEntry(name) { removed.push(name); },
  };
  return { root, storage: { getDirectory: getDirectory ?? (async () => root) } };
}

async function withNavigator(storage, fn) {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { storage }, configurable: true });
  try {
    return await fn();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete globalThis.navigator;
  }
}

const domError = (name) => new DOMException(`refused (${name})`, name);

test('getDirectory refused (Firefox private browsing): UNSUPPORTED with SecurityError, at once', async () => {
  const { storage } = fakeStorage({ getDirectory: async () => { throw domError('SecurityError'); } });
  await withNavigator(storage, async () => {
    await assert.rejects(openOpfsPool({ name: 'x' }), (err) => {
      assert.equal(err.code, 'UNSUPPORTED');
      assert.equal(err.details.name, 'SecurityError');
      assert.equal(err.details.step, 'getDirectory');
      assert.match(err.message, /SecurityError/);
      return true;
    });
  });
});

for (const name of ['NotSupportedError', 'InvalidStateError']) {
  test(`createSyncAccessHandle refused with ${name} (WebKit): UNSUPPORTED, not BUSY; the probe file is removed`, async () => {
    const { root, storage } = fakeStorage({ createSyncAccessHandle: async () => { throw domError(name); } });
    await withNavigator(storage, async () => {
      await assert.rejects(probeOpfs(), { code: 'UNSUPPORTED', details: { storage: 'opfs', name, step: 'createSyncAccessHandle' } });
    });
    assert.equal(root.removed.length, 1);
  });
}

test('no sync access handles at all, or no OPFS: UNSUPPORTED', async () => {
  const { storage } = fakeStorage({ createSyncAccessHandle: undefined });
  const refusal = (step) => (err) => err.code === 'UNSUPPORTED' && err.details.name === 'TypeError' && err.details.step === step;
  await withNavigator(storage, () => assert.rejects(probeOpfs(), refusal('createSyncAccessHandle')));
  await withNavigator({}, () => assert.rejects(probeOpfs(), refusal('getDirectory')));
});

test('a handle another tab holds stays BUSY (NoModificationAllowedError)', async () => {
  const dir = {
    async* entries() {},
    async getFileHandle() { return { createSyncAccessHandle: async () => { throw domError('NoModificationAllowedError'); } }; },
  };
  const base = { async getDirectoryHandle() { return dir; } };
  const root = { async getDirectoryHandle() { return base; } };
  await assert.rejects(openOpfsPool({ name: 'held', root, capacity: 1 }), { code: 'BUSY' });
});
