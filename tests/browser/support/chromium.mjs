// Launches Debian's Chromium through playwright-core, never a downloaded
// browser, headless and offline, with a fresh profile directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CS_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable() {
  return fs.existsSync(CHROMIUM);
}

/**
 * A persistent context (one profile, so OPFS survives page reloads within it).
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the test page and waits for its worker to be ready. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(new Error(m.text())); });
  await page.goto(url);
  await page.waitForFunction(() => window.workerReady === true || window.workerError, null, { timeout: 30000 });
  const failure = await page.evaluate(() => window.workerError);
  if (failure) throw new Error(`worker failed to start: ${failure}`);
  return { page, errors, run: (cmd, args = {}) => page.evaluate(([c, a]) => window.run(c, a), [cmd, args]) };
}
