// Minifies ES modules with the oxc minifier (rolldown's, the one Vite uses
// for production builds): what bundlers do to js/, done here for the files
// they copy as they are, the Emscripten glue above all.
//   node tools/minify.mjs FILE...     rewrites each file minified
import fs from 'node:fs';
import { minifySync } from 'rolldown/experimental';

/** The minified text of one ES module (names mangled, properties kept). */
export function minifyModule(file, text) {
  const { code, errors } = minifySync(file, text, { module: true, compress: true, mangle: true });
  if (errors?.length) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  return code;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) fs.writeFileSync(file, minifyModule(file, fs.readFileSync(file, 'utf8')));
}
