// PostgreSQL LISTEN on a dedicated connection (a pooled one would be handed to
// other queries and lose its LISTEN on release). The connection is kept:
// when it drops (server restart, network, pg_terminate_backend) it is opened
// again with backoff, and `onNotify` is called once it is back, because
// notifications sent while it was down are lost (PostgreSQL docs, NOTIFY:
// only sessions listening at commit time receive them).
import pg from 'pg';

export interface ListenOptions {
  /** Called for each notification, and after every reconnect. */
  onNotify: () => void;
  /** Called when the connection fails or drops (it is retried). */
  onError?: (err: Error) => void;
}

const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;

/** Resolves (to the function that stops listening) once the first attempt to listen succeeded or failed. */
export async function listenPostgres(url: string, channel: string, opts: ListenOptions): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let delay = MIN_DELAY_MS;
  let connectedOnce = false;

  const retry = (err: Error) => {
    if (closed) return;
    opts.onError?.(err);
    const c = client;
    client = undefined;
    c?.removeAllListeners();
    c?.on('error', () => {});
    void c?.end().catch(() => {});
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    // TCP keepalive: a peer gone without closing (network cut) would otherwise
    // leave an idle listener waiting forever.
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    client = c;
    c.on('error', retry);
    c.on('end', () => retry(new Error('listener connection ended')));
    c.on('notification', (n) => {
      if (n.channel === channel) opts.onNotify();
    });
    try {
      await c.connect();
      // Channel names are identifiers; ours are constants from this repository.
      await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (err) {
      if (client === c) retry(err as Error);
      return;
    }
    if (closed) return void c.end().catch(() => {});
    delay = MIN_DELAY_MS;
    if (connectedOnce) opts.onNotify();
    connectedOnce = true;
  }

  await connect();
  return async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  };
}
