// Prepended to the generated ES module (--extern-pre-js).
// Debian's Emscripten 3.1.6 emits CommonJS names (`require`, `__dirname`) in
// the Node branch of an -sEXPORT_ES6 module; in an ES module they do not
// exist. Define them from import.meta.url, in Node only, so the very same file
// still loads untouched in a browser worker or a Vite bundle.
const __csIsNode =
  typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';
const require = __csIsNode
  ? (await import(/* @vite-ignore */ 'node:' + 'module')).createRequire(import.meta.url)
  : undefined;
const __dirname = __csIsNode ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : '';
