// Interaction and authorization-request rules over plain HTTP: first-party
// clients skip consent, PKCE is mandatory, cookies are Secure behind a TLS
// proxy, and the pages carry the security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'grace@example.com', password: 'hopper-1906-cobol' };

describe('interactions', () => {
  let store: TestStore;
  let server: TestServer;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer({ ...store.env, TRUST_PROXY: 'true' });
    await server.services.stores.users.create(USER);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('skips the consent screen for first-party clients', async () => {
    const c = await server.services.stores.clients.create({ name: 'Own app', redirectUris: [REDIRECT], firstParty: true });
    const pages: string[] = [];
    const { code } = await httpAuthorize({ issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER, onPage: (p) => pages.push(p) });
    expect(code).toBeTruthy();
    expect(pages).toEqual(['login']);
  });

  it('shows consent to third-party clients', async () => {
    const c = await server.services.stores.clients.create({ name: 'Other app', redirectUris: [REDIRECT] });
    const pages: string[] = [];
    await httpAuthorize({ issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER, onPage: (p) => pages.push(p) });
    expect(pages).toEqual(['login', 'consent']);
  });

  it('requires PKCE with S256 for every client', async () => {
    const c = await server.services.stores.clients.create({ name: 'No PKCE', redirectUris: [REDIRECT] });
    const base = `${server.issuer}/auth?client_id=${c.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    const none = await fetch(base, { redirect: 'manual' });
    expect(new URL(none.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const plain = await fetch(`${base}&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain`, { redirect: 'manual' });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('marks cookies Secure behind a TLS-terminating proxy, and sends security headers', async () => {
    const c = await server.services.stores.clients.create({ name: 'Proxy', redirectUris: [REDIRECT] });
    const url = `${server.issuer}/auth?client_id=${c.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
    const res = await fetch(url, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const ck of cookies) expect(ck.toLowerCase()).toContain('secure');
    const plain = await fetch(url, { redirect: 'manual' });
    for (const ck of plain.headers.getSetCookie()) expect(ck.toLowerCase()).not.toContain('secure');

    const page = await fetch(new URL(res.headers.get('location')!, server.issuer), {
      headers: { cookie: cookies.map((c) => c.split(';')[0]).join('; '), 'x-forwarded-proto': 'https' },
    });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(await page.text()).not.toMatch(/<script(?![^>]*src=)/);
  });
});
