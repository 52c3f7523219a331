// Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi (no
// geckodriver, no downloaded browser), headless, with a fresh profile.
// `private: true` starts the whole browser in private browsing, where
// Firefox refuses OPFS.
import { existsSync } from 'node:fs';

export const FIREFOX = process.env.CS_FIREFOX ?? '/usr/bin/firefox-esr';

/** Why the Firefox tests cannot run here, or false. In CI a missing Firefox fails (tools/setup.sh installs it). */
export function firefoxUnavailable() {
  if (existsSync(FIREFOX)) return false;
  if (process.env.CI) throw new Error(`${FIREFOX} is missing (tools/setup.sh installs firefox-esr)`);
  return `no Firefox at ${FIREFOX}`;
}

export async function launchFirefox({ private: privateBrowsing = false } = {}) {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      'browser.privatebrowsing.autostart': privateBrowsing,
      'network.proxy.type': 0,
    },
  });
}

/** A page at `url` whose console errors and page errors are kept in page.log. */
export async function openFirefoxPage(browser, url) {
  const page = await browser.newPage();
  page.log = [];
  page.on('console', (m) => page.log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => page.log.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return page;
}
