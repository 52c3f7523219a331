// Which backend the demo syncs with, from the server that serves the app
// (web/server.mjs answers /config.json). No answer: offline.
export async function loadConfig() {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) return { backend: null };
    const config = await response.json();
    return { backend: config?.backend?.url ? config.backend : null };
  } catch {
    return { backend: null };
  }
}
