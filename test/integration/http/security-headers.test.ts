// The same security headers on every page: 404s, error pages, the console,
// the login page, the provider's own pages and JSON answers (issue 12: the
// 404 page had no CSP and no frame protection).
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const REDIRECT = 'https://rp.example/cb';

describe('security headers on every page', () => {
  let store: TestStore;
  let server: TestServer;
  let clientId: string;

  beforeAll(async () => {
    store = await createTestStore('embedded');
    server = await startTestServer(store.env);
    clientId = (await server.services.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], grantTypes: ['authorization_code'] })).clientId;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  const expectHeaders = (res: Response, what: string) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, what).toMatch(/default-src 'self'/);
    expect(csp, what).toMatch(/frame-ancestors 'none'/);
    expect(csp, what).not.toMatch(/unsafe-inline/);
    expect(res.headers.get('x-frame-options'), what).toBe('DENY');
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  };
  const get = (path: string, accept = 'text/html') => fetch(`${server.issuer}${path}`, { headers: { accept }, redirect: 'manual' });

  it.each([
    ['a 404 page', '/no-such-page', 404],
    ['a 404 under the console', '/admin/no-such-page', 404],
    ['a 404 as JSON', '/no-such-thing.json', 404],
    ['an error page (unknown interaction)', '/interaction/not-a-real-uid', 400],
    ['a console page', '/admin/signed-out', 200],
    ['a provider error page (unknown client)', '/auth?client_id=nobody&response_type=code&scope=openid', 400],
    ['discovery (JSON)', '/.well-known/openid-configuration', 200],
  ])('%s', async (what, path, status) => {
    const res = await get(path, what.includes('JSON') ? 'application/json' : 'text/html');
    expect(res.status, what).toBe(status);
    expectHeaders(res, what);
  });

  it('the login page', async () => {
    const url = new URL(`${server.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
    }).toString();
    const start = await fetch(url, { redirect: 'manual' });
    expectHeaders(start, 'the redirect to the login page');
    const cookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await fetch(new URL(start.headers.get('location')!, server.issuer), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/name="password"/);
    expectHeaders(page, 'the login page');
  });
});
