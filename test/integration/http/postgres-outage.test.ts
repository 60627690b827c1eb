// A real PostgreSQL outage: the server process is stopped under a running
// Gatehouse. /readyz says 503, protocol endpoints answer 503
// temporarily_unavailable quickly (no hangs), and both recover on restart.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres.js';
import { freePort, startTestServer, type TestServer } from '../../helpers/server.js';
import { exchangeCode, postForm, type TestClient } from '../../helpers/token-client.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { adminToken } from '../../helpers/admin-api.js';

const REDIRECT = 'https://rp.example/cb';

/** Polls /readyz (up to ~10 s) after the database came back; the last status. */
async function readyAfterRestart(issuer: string): Promise<number> {
  let ready = 0;
  for (let i = 0; i < 50 && ready !== 200; i++) {
    ready = (await fetch(`${issuer}/readyz`)).status;
    if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  return ready;
}

describe('PostgreSQL outage', () => {
  let pg: PrivatePostgres;
  let server: TestServer;
  let client: TestClient;
  let web: TestClient;
  beforeAll(async () => {
    pg = createPrivatePostgres(await freePort());
    server = await startTestServer({ DATABASE_URL: pg.url, GATEHOUSE_SECRET: randomBytes(32).toString('hex'), NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp' });
    const c = await server.services.stores.clients.create({ name: 'svc', redirectUris: [], grantTypes: ['client_credentials'] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
    const w = await server.services.stores.clients.create({ name: 'web', redirectUris: [REDIRECT], grantTypes: ['authorization_code'], firstParty: true });
    web = { clientId: w.clientId, clientSecret: w.clientSecret! };
    await server.services.stores.users.create({ email: 'user@example.com', password: 'outage-password' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop().catch(() => {});
    pg?.destroy();
  });

  it('reports unavailable while the server is down and recovers when it returns', async () => {
    const token = () => postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' });
    expect((await token()).status).toBe(200);
    pg.stop();
    const started = Date.now();
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(503);
    const down = await token();
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ error: 'temporarily_unavailable' });
    expect(Date.now() - started).toBeLessThan(15_000);
    pg.start();
    expect(await readyAfterRestart(server.issuer)).toBe(200);
    expect((await token()).status).toBe(200);
  }, 120_000);

  it('answers 503 (never 500) on every kind of endpoint while the database is down, and recovers', async () => {
    // Everything a client may hold when the outage starts: a user access
    // token, an admin API token, an interaction in progress.
    const { code, verifier, callback } = await httpAuthorize({ issuer: server.issuer, clientId: web.clientId, redirectUri: REDIRECT, email: 'user@example.com', password: 'outage-password' });
    const { result } = await exchangeCode(server.issuer, web, REDIRECT, callback, verifier);
    expect(code).toBeTruthy();
    const admin = await adminToken(server);
    const authUrl = `${server.issuer}/auth?${new URLSearchParams({ client_id: web.clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM', code_challenge_method: 'S256' })}`;
    const started = await fetch(authUrl, { redirect: 'manual' });
    const interaction = new URL(started.headers.get('location')!, server.issuer);
    const cookie = started.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(interaction, { headers: { cookie } })).status).toBe(200);

    const probes: Record<string, () => Promise<Response>> = {
      token: () => fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
      badSecret: () => fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:wrong`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
      auth: () => fetch(authUrl, { redirect: 'manual', headers: { accept: 'text/html' } }),
      userinfo: () => fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${result.access_token}` } }),
      readyz: () => fetch(`${server.issuer}/readyz`),
      interaction: () => fetch(interaction, { headers: { cookie, accept: 'text/html' } }),
      admin: () => fetch(`${server.issuer}/admin/api/users`, { headers: { authorization: `Bearer ${admin}` } }),
    };
    pg.stop();
    try {
      for (let round = 0; round < 4; round++) {
        for (const [name, probe] of Object.entries(probes)) {
          const res = await probe();
          const body = await res.text();
          expect({ name, status: res.status }).toEqual({ name, status: 503 });
          if (name === 'readyz') continue;
          expect(res.headers.get('retry-after'), name).toMatch(/^\d+$/);
          if (['token', 'badSecret', 'userinfo', 'admin'].includes(name)) {
            expect(JSON.parse(body), name).toMatchObject({ error: 'temporarily_unavailable' });
          } else {
            expect(res.headers.get('content-type'), name).toMatch(/text\/html/);
            expect(body, name).toMatch(/temporarily unavailable/i);
          }
        }
      }
    } finally {
      pg.start();
    }
    expect(await readyAfterRestart(server.issuer)).toBe(200);
    expect((await probes.token!()).status).toBe(200);
    expect((await probes.userinfo!()).status).toBe(200);
    expect((await probes.admin!()).status).toBe(200);
    expect((await probes.interaction!()).status).toBe(200);
  }, 180_000);
});
