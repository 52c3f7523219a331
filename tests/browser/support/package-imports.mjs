// Test pages load the module's files as they are, without a bundler. The
// module's own "#platform/..." imports are package imports that a bundler
// (or Node) resolves by condition from package.json; a browser cannot. The
// test servers do what a bundler building for the web does: rewrite them to
// the files the `default` (browser) condition names.
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));

const browserTargets = Object.entries(pkg.imports ?? {}).map(([pattern, conditions]) => {
  const target = conditions.default;
  const [prefix, suffix = ''] = pattern.split('*');
  return { prefix, suffix, target };
});

/** The browser file for a package import, as a path from the repository root ('/js/...'), or null. */
export function browserPath(specifier) {
  for (const { prefix, suffix, target } of browserTargets) {
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    const middle = specifier.slice(prefix.length, specifier.length - suffix.length);
    return target.replace('*', middle).replace(/^\.\//, '/');
  }
  return null;
}

/** JavaScript text with its "#..." package imports pointed at the browser files. */
export function resolvePackageImports(text) {
  return text.replace(/(from\s*|import\s*\(\s*)(['"])(#[^'"]+)\2/g, (whole, lead, quote, specifier) => {
    const path = browserPath(specifier);
    return path ? `${lead}${quote}${path}${quote}` : whole;
  });
}
