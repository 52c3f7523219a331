// Realtime wake-ups for the sync loop: the store joins the private Broadcast
// channel `campaign-store:<userId>` with realtime-js (the app's SupabaseClient's
// own socket, or a RealtimeClient the store makes from the class the app
// passes), and every message on it ("something of yours changed", sent by
// the database: supabase/migrations/0006_realtime.sql) asks for a pull now.
// The message carries no data; the pull does.
//
// realtime-js keeps the socket (heartbeats, reconnects). This class keeps
// the channel: when it errors, times out or is closed by the server (an
// expired or refused token), it is removed and joined again after a backoff
// with jitter (1 s doubling to 60 s), which asks realtime-js for a fresh
// token. Each successful join also asks for a pull: what changed while the
// channel was down is not replayed.

export const REALTIME_TOPIC_PREFIX = 'campaign-store:';
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60_000;

/**
 * Channels from the app's SupabaseClient (supabase-js keeps its token), or
 * from a RealtimeClient made here for the {url, anonKey, getAccessToken} form.
 * @returns {{auth(): Promise<void>, channel(topic: string): any, remove(channel: any): Promise<any>, close(ours: any): void}}
 */
export function realtimeSource({ supabase, RealtimeClient, transport, url, anonKey, getAccessToken }) {
  if (supabase) {
    return {
      auth: () => supabase.realtime.setAuth(),
      channel: (topic) => supabase.channel(topic, { config: { private: true } }),
      remove: (channel) => supabase.removeChannel(channel),
      // The app's socket: closed (cleanly, so it does not reconnect) only when
      // no channel of the app's own is on it.
      close: (ours) => {
        if (supabase.getChannels().every((c) => c === ours)) supabase.realtime.disconnect();
      },
    };
  }
  const client = new RealtimeClient(`${url.replace(/^http/, 'ws')}/realtime/v1`, {
    params: { apikey: anonKey },
    accessToken: async () => (await getAccessToken({ refresh: false })) ?? null,
    ...(transport ? { transport } : {}),
  });
  return {
    auth: () => client.setAuth(),
    channel: (topic) => client.channel(topic, { config: { private: true } }),
    remove: (channel) => client.removeChannel(channel),
    close: () => client.disconnect(),
  };
}

export class RealtimeWake {
  /**
   * @param {object} o
   * @param {ReturnType<typeof realtimeSource>} o.source
   * @param {string} o.userId
   * @param {() => void} o.onWake          a message arrived, or the channel (re)joined
   * @param {(state: 'connecting'|'connected') => void} o.onState
   * @param {(level: string, message: string, details?: object) => void} [o.log]
   */
  constructor({ source, userId, onWake, onState, log }) {
    this.source = source;
    this.topic = REALTIME_TOPIC_PREFIX + userId;
    this.onWake = onWake;
    this.onState = onState;
    this.log = log ?? (() => {});
    this.channel = null;
    this.timer = null;
    this.attempt = 0;
    this.running = false;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.join();
  }

  /** Leaves the channel and closes the socket (the app's only when it has no channels of its own). */
  stop() {
    this.running = false;
    clearTimeout(this.timer);
    const channel = this.channel;
    this.drop();
    this.source.close(channel);
  }

  async join() {
    if (!this.running) return;
    this.onState('connecting');
    // realtime-js joins with the token it holds when subscribing: fetch a
    // current one first (Supabase's advice for private channels).
    try {
      await this.source.auth();
    } catch (err) {
      this.log('warn', 'realtime: could not get an access token', { reason: err?.message ?? String(err) });
    }
    if (!this.running || this.channel) return;
    try {
      const channel = this.source.channel(this.topic);
      this.channel = channel;
      channel.on('broadcast', { event: 'changed' }, () => {
        if (this.channel === channel) this.onWake();
      });
      channel.subscribe((status, err) => {
        if (this.channel !== channel || !this.running) return;
        if (status === 'SUBSCRIBED') {
          this.attempt = 0;
          this.onState('connected');
          this.onWake();
          return;
        }
        // CHANNEL_ERROR, TIMED_OUT, CLOSED: join again later, with a fresh token.
        this.retry(`realtime channel ${status.toLowerCase()}`, err);
      });
    } catch (err) {
      // No WebSocket in this runtime (Node < 22 without a transport), a bad URL...
      this.retry('realtime could not connect', err);
    }
  }

  retry(what, err) {
    this.log('warn', `${what}: joining again`, { reason: err?.message ?? null });
    this.drop();
    this.onState('connecting');
    const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt++);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.join(); }, cap / 2 + Math.random() * cap / 2);
  }

  drop() {
    const channel = this.channel;
    this.channel = null;
    if (channel) Promise.resolve(this.source.remove(channel)).catch(() => {});
  }
}
