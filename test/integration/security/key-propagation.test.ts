// Key changes reach every instance at once (LISTEN/NOTIFY, src/db/listener.ts
// and src/keys/key-store.ts): two listening instances on one PostgreSQL
// database with an hour-long KEY_CHECK_INTERVAL_SECONDS; after
// `gatehouse keys rotate --now` on the CLI, the other instance publishes and
// signs with the new keys within a second, also after its listening
// connection was killed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode } from '../../helpers/token-client.js';
import { runCli } from '../../../src/cli/index.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'prop@example.com', password: 'keys-everywhere-now' };
const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;

describe('key propagation between instances', () => {
  let store: TestStore;
  let a: TestServer;
  let b: TestServer;
  let env: Record<string, string>;
  let client: { clientId: string; clientSecret: string };

  const jwksKids = async (s: TestServer) => ((await (await fetch(`${s.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  const idTokenFrom = async (s: TestServer) => {
    const { callback, verifier } = await httpAuthorize({ issuer: s.issuer, clientId: client.clientId, redirectUri: REDIRECT, ...USER });
    return (await exchangeCode(s.issuer, client, REDIRECT, callback, verifier)).result.id_token!;
  };
  /** Runs `gatehouse keys rotate --now`, then ms until `s` publishes all staged kids (gives up after 5 s). */
  async function rotateAndTime(s: TestServer): Promise<{ staged: string[]; ms: number }> {
    const out: string[] = [];
    expect(await runCli(['keys', 'rotate', '--now', '--json'], { out: (t) => out.push(t), err: (t) => out.push(t), env })).toBe(0);
    const started = Date.now();
    const { staged } = JSON.parse(out[0]!) as { staged: string[] };
    while (Date.now() - started < 5000) {
      const kids = await jwksKids(s);
      if (staged.every((k) => kids.includes(k))) return { staged, ms: Date.now() - started };
      await new Promise((r) => setTimeout(r, 25));
    }
    return { staged, ms: Infinity };
  }
  /** The backends LISTENing on the test database (one per instance). */
  const listeners = async () => {
    const c = new pg.Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`)).rows.map((r) => r.pid);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // Without notifications an instance would see the change only after an hour.
    env = { ...store.env, KEY_CHECK_INTERVAL_SECONDS: '3600', KEY_PUBLISH_AHEAD_SECONDS: '3600', KEY_RETIRE_SECONDS: '7200' };
    a = await startTestServer(env);
    b = await startTestServer(env);
    await a.services.stores.users.create(USER);
    const c = await a.services.stores.clients.create({ name: 'rp', redirectUris: [REDIRECT] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store?.dispose();
  });

  it('publishes and signs with keys rotated on the CLI within a second on every instance', async () => {
    const before = kidOf(await idTokenFrom(b));
    const { staged, ms } = await rotateAndTime(b);
    expect(ms).toBeLessThan(1000);
    expect(staged).not.toContain(before);
    // Both instances sign with the new key, and each publishes the other's.
    const fromA = await idTokenFrom(a);
    const fromB = await idTokenFrom(b);
    expect(staged).toContain(kidOf(fromA));
    expect(kidOf(fromB)).toBe(kidOf(fromA));
    expect(await jwksKids(b)).toContain(before); // the old key still verifies
  });

  it('listens again after its connection is killed, and catches up', async () => {
    const pids = await listeners();
    expect(pids).toHaveLength(2);
    const admin = new pg.Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    await admin.end();
    // Both reconnect (backoff starts at 250 ms) on new backends.
    let now: number[] = [];
    for (let i = 0; i < 100 && (now.length < 2 || now.some((p) => pids.includes(p))); i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = await listeners();
    }
    expect(now).toHaveLength(2);
    const { staged, ms } = await rotateAndTime(b);
    expect(ms).toBeLessThan(1000);
    expect(staged).toContain(kidOf(await idTokenFrom(b)));
  });
});

describe('key propagation on the embedded store', () => {
  let store: TestStore;
  let server: TestServer;
  beforeAll(async () => {
    store = await createTestStore('embedded');
    server = await startTestServer({ ...store.env, KEY_CHECK_INTERVAL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('hears its own notifications: a rotation in the process is served without waiting for the check', async () => {
    const staged = await server.services.stores.keys.rotate(true);
    let kids: string[] = [];
    for (let i = 0; i < 40 && !staged.every((k) => kids.includes(k)); i++) {
      await new Promise((r) => setTimeout(r, 25));
      kids = ((await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    }
    expect(kids).toEqual(expect.arrayContaining(staged));
  });
});
