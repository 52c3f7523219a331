// The hand-written .d.ts files (js/index.d.ts, js/core.d.ts,
// js/react/index.d.ts) compile under --strict, and so does typical app code
// using them (shared/types-usage.ts), resolved through package.json exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the public type declarations type-check with typical usage', () => {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--lib', 'es2022,dom', '--skipLibCheck', 'false', '--types', 'react',
    'tests/node/shared/types-usage.ts'], { cwd: root, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
