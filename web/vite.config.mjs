// Vite config of the demo Campaign Builder. The app imports the module by its
// package name, as the real app would; the aliases point the names at this
// checkout. JSX goes through Vite's built-in transform (no plugin).
//
//   npx vite build --config web/vite.config.mjs     (web/server.mjs does this)
//   npx vite --config web/vite.config.mjs           (dev server; offline: no backend)
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: web,
  publicDir: false,
  resolve: {
    alias: [
      { find: /^campaign-store$/, replacement: `${repo}js/index.js` },
      { find: /^campaign-store\/react$/, replacement: `${repo}js/react/index.js` },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: `${web}dist`,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  plugins: [{
    // /config.json and /demo/* in the dev server too (the same handler as web/server.mjs).
    name: 'campaign-builder-demo-routes',
    async configureServer(server) {
      const { demoRoutes } = await import('./server.mjs');
      const routes = demoRoutes({ backend: null });
      server.middlewares.use((req, res, next) => { routes(req, res).then((done) => done || next(), next); });
    },
  }],
});
