// Two Gatehouse instances (separate apps, pools and providers) on one
// PostgreSQL: a login and refresh rotation work across them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { compose, startServer, type Running } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { freePort } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, refresh, type TestClient } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'multi@example.com', password: 'two-instances-one-db' };

describe('several stateless instances on one PostgreSQL', () => {
  let store: TestStore;
  let issuer: string;
  let a: Running;
  let b: Running;
  let urlA: string;
  let urlB: string;
  let client: TestClient;

  const instance = async (issuerUrl: string, port: number) => {
    const config = loadConfig({ ...store.env, PORT: String(port), ISSUER: issuerUrl });
    const running = await startServer(await compose(config, createLogger('error')));
    return { running, url: `http://127.0.0.1:${port}` };
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // Both answer as one issuer (behind a load balancer in production); here
    // the issuer URL is instance A's own address.
    const portA = await freePort();
    issuer = `http://127.0.0.1:${portA}`;
    ({ running: a, url: urlA } = await instance(issuer, portA));
    ({ running: b, url: urlB } = await instance(issuer, await freePort()));
    const s = await compose(loadConfig(store.env), createLogger('error'));
    await s.stores.users.create(USER);
    const c = await s.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
    await s.db.close();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store?.dispose();
  });

  it('serves the same keys and discovery from every instance', async () => {
    const [ja, jb] = await Promise.all([urlA, urlB].map(async (u) => (await fetch(`${u}/jwks`)).json()));
    expect(ja).toEqual(jb);
  });

  it('continues a login started on one instance on the other, and rotates refresh tokens across both', async () => {
    let hop = 0;
    // Route each request of the browser flow to alternating instances.
    const { callback, verifier } = await httpAuthorize({
      issuer, clientId: client.clientId, redirectUri: REDIRECT, ...USER, scope: 'openid offline_access',
      extra: { prompt: 'consent' }, rewrite: (u) => new URL(u.href.replace(issuer, hop++ % 2 ? urlB : urlA)),
    });
    expect(hop).toBeGreaterThan(3);
    const { result } = await exchangeCode(issuer, client, REDIRECT, callback, verifier);
    let rt = result.refresh_token!;
    for (let i = 0; i < 6; i++) {
      const r = await refresh(i % 2 ? urlA : urlB, client, rt);
      expect(r.status).toBe(200);
      rt = r.json.refresh_token as string;
    }
  });
});
