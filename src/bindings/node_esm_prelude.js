// Prepended to the generated ES module (--extern-pre-js).
// Debian's Emscripten 3.1.6 emits CommonJS names (`require`, `__dirname`) in
// the Node branch of an -sEXPORT_ES6 module; in an ES module they do not
// exist. Define them from import.meta.url, in Node only, so the very same file
// still loads untouched in a browser worker or a bundle. No top-level await
// and no specifier of a Node built-in: bundlers targeting older browsers refuse the
// first, and browser bundles must not carry the second.
const __csIsNode =
  typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';
const require = __csIsNode
  ? process.getBuiltinModule('module').createRequire(import.meta.url)
  : undefined;
const __dirname = __csIsNode ? require('path').dirname(require('url').fileURLToPath(import.meta.url)) : '';
