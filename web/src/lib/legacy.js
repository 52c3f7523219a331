// The legacy app's localStorage keys (tests/fixtures/README.md, "Keys"), and
// seeding a realistic dump so anyone can watch the migration happen.
export const QUOTA_UNITS = 5 * 1024 * 1024;
const FIXED = new Set(['products', 'campaigns', 'saved_campaigns', 'backgrounds', 'sample_data']);
const SEED_NOTE = 'campaign-builder-demo.seeded';

export function isLegacyKey(key) {
  return FIXED.has(key) || /^campaign_(draft|minimal)_/.test(key);
}

/** What localStorage holds: legacy keys and the UTF-16 units of everything (what the quota counts). */
export function inspectLocalStorage() {
  const legacy = [];
  let units = 0;
  let keys = 0;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const value = localStorage.getItem(key) ?? '';
      units += key.length + value.length;
      keys++;
      if (isLegacyKey(key)) legacy.push({ key, units: key.length + value.length });
    }
  } catch {
    // storage disabled
  }
  legacy.sort((a, b) => a.key.localeCompare(b.key));
  return { keys, units, legacy };
}

/**
 * Replaces the legacy keys with a generated dump (web/server.mjs serves
 * tests/fixtures/generate.mjs presets) and reloads, so the store migrates
 * them on open. The manifest's expected counts are kept for the report.
 */
export async function seedLegacyDump(preset) {
  const response = await fetch(`/demo/legacy-dump.json?preset=${encodeURIComponent(preset)}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`the server has no legacy dumps (HTTP ${response.status})`);
  const { dump, manifest } = await response.json();
  for (const { key } of inspectLocalStorage().legacy) localStorage.removeItem(key);
  const written = [];
  try {
    for (const [key, value] of Object.entries(dump)) {
      localStorage.setItem(key, value);
      written.push(key);
    }
  } catch (err) {
    for (const key of written) localStorage.removeItem(key);
    throw new Error(`localStorage refused the dump after ${written.length} keys: ${err.message}`);
  }
  sessionStorage.setItem(SEED_NOTE, JSON.stringify({
    preset, seededAt: Date.now(), expected: manifest.expected, size: manifest.size,
  }));
  window.location.reload();
}

/** The last seeded dump's preset and expected counts (this tab), or null. */
export function seededDump() {
  try {
    return JSON.parse(sessionStorage.getItem(SEED_NOTE) ?? 'null');
  } catch {
    return null;
  }
}
