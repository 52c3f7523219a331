// Builds the app in the current directory with one bundler, as its default
// configuration does (child process of consumer.test.mjs):
//   node build.mjs vite6|vite7|vite8 <outDir>
//   node build.mjs webpack <outDir>
//   node build.mjs vite6-dev|vite7-dev|vite8-dev [exclude]   prints "URL <url>", serves until stdin closes
import path from 'node:path';

const [bundler, arg] = process.argv.slice(2);
if (bundler.endsWith('-dev')) {
  const { createServer } = await import(bundler.slice(0, -4));
  // `exclude`: the line README gives for Vite 6 and 7's dev server.
  const optimizeDeps = arg === 'exclude' ? { exclude: ['campaign-store'] } : {};
  const server = await createServer({ root: process.cwd(), logLevel: 'error', optimizeDeps,
    server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await server.listen();
  console.log(`URL http://127.0.0.1:${server.httpServer.address().port}`);
  process.stdin.resume();
  process.stdin.on('end', () => server.close().then(() => process.exit(0)));
} else if (bundler.startsWith('vite')) {
  const { build } = await import(bundler);
  await build({ root: process.cwd(), logLevel: 'error', build: { outDir: arg, emptyOutDir: true } });
} else if (bundler === 'webpack') {
  const { default: webpack } = await import('webpack');
  const config = { mode: 'production', context: process.cwd(), entry: './main.js',
    output: { path: path.resolve(arg), clean: true }, performance: { hints: false } };
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  if (errors.length || warnings.length) {
    console.error([...errors, ...warnings].map((e) => e.message).join('\n'));
    process.exit(1);
  }
} else {
  throw new Error(`unknown bundler ${bundler}`);
}
