// Browser SSO end to end: real Chromium on Gatehouse's pages, openid-client as
// the relying party, a real listening server on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { createTestStore, type TestStore } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';

describe('browser SSO with the authorization-code flow', () => {
  let store: TestStore;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rpA: Rp;
  let rpB: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;

  const newPage = async () => {
    context = await browser.newContext();
    page = await context.newPage();
  };
  const callback = async () => {
    await page.waitForURL(`${rpServer.base}/**`);
    return page.url();
  };
  const signIn = async (email = EMAIL, password = PASSWORD) => {
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    rpServer = await startCallbackServer();
    server = await startTestServer(store.env);
    await server.services.stores.users.create({ email: EMAIL, password: PASSWORD, name: 'Ada Lovelace', emailVerified: true });
    const mk = async (name: string, path: string) => {
      const c = await server.services.stores.clients.create({
        name, redirectUris: [`${rpServer.base}${path}`], postLogoutRedirectUris: [`${rpServer.base}${path}/bye`],
        scope: 'openid profile email offline_access',
      });
      return createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}${path}`);
    };
    rpA = await mk('Photo Album', '/a');
    rpB = await mk('Calendar', '/b');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rpServer?.close();
    await store?.dispose();
  });
  beforeEach(async () => {
    await context?.close();
    await newPage();
  });

  it('logs in, consents, gets tokens with a verified id_token, and reads userinfo', async () => {
    const flow = await rpA.start();
    await page.goto(flow.url.href);
    expect(await page.getByLabel(/password/i).count()).toBe(1);
    await screenshot(page, 'login');
    await signIn();
    await page.getByRole('button', { name: /allow/i }).waitFor();
    const consentText = await page.textContent('body');
    expect(consentText).toContain('Photo Album');
    expect(consentText).toMatch(/email address/i);
    await screenshot(page, 'consent');
    await page.getByRole('button', { name: /allow/i }).click();
    const tokens = await flow.redeem(await callback());
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(server.issuer);
    expect(claims.aud).toBe(rpA.clientId);
    const info = await oidc.fetchUserInfo(rpA.config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: EMAIL, email_verified: true, name: 'Ada Lovelace' });
  });

  it('signs a second client in without a password (SSO), and remembers consent in a new session', async () => {
    await page.goto((await rpA.start()).url.href);
    await signIn();
    // Consent for A was remembered by the previous test (another session):
    // straight back to A with no consent screen.
    const a = await callback();
    expect(new URL(a).searchParams.get('code')).toBeTruthy();

    const flowB = await rpB.start();
    await page.goto(flowB.url.href);
    await page.getByRole('button', { name: /allow/i }).waitFor();
    expect(await page.getByLabel(/password/i).count()).toBe(0);
    await page.getByRole('button', { name: /allow/i }).click();
    const tokens = await flowB.redeem(await callback());
    expect(tokens.claims()!.aud).toBe(rpB.clientId);
  });

  it('answers prompt=none without a session with login_required', async () => {
    const flow = await rpA.start({ prompt: 'none' });
    await page.goto(flow.url.href);
    const url = new URL(await callback());
    expect(url.searchParams.get('error')).toBe('login_required');
  });

  it('rejects a replayed authorization code with invalid_grant', async () => {
    const flow = await rpA.start();
    await page.goto(flow.url.href);
    await signIn();
    const cb = await callback();
    await flow.redeem(cb);
    const replay = await flow.redeem(cb).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(oidc.ResponseBodyError);
    expect((replay as oidc.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('shows an error page and does not redirect for an unregistered redirect_uri', async () => {
    const flow = await rpA.start({ redirect_uri: 'https://evil.example/steal' });
    const response = await page.goto(flow.url.href);
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(server.issuer);
    expect(await page.textContent('body')).toMatch(/redirect_uri/);
    await screenshot(page, 'error');
  });

  it('gives the same message for a wrong password and an unknown email', async () => {
    await page.goto((await rpA.start()).url.href);
    await signIn(EMAIL, 'wrong password');
    const wrongPassword = await page.getByRole('alert').textContent();
    await signIn('nobody@example.com', 'wrong password');
    const unknownEmail = await page.getByRole('alert').textContent();
    expect(wrongPassword?.trim()).toBeTruthy();
    expect(unknownEmail?.trim()).toBe(wrongPassword?.trim());
    await screenshot(page, 'login-error');
  });

  it('forces the password again with prompt=login, and prefills login_hint', async () => {
    await page.goto((await rpA.start()).url.href);
    await signIn();
    await callback();
    await page.goto((await rpA.start({ prompt: 'login', login_hint: EMAIL })).url.href);
    expect(await page.getByLabel(/email/i).inputValue()).toBe(EMAIL);
    await signIn();
    expect(new URL(await callback()).searchParams.get('code')).toBeTruthy();
  });

  it('logs out with id_token_hint and post_logout_redirect_uri; prompt=none then fails', async () => {
    const flow = await rpA.start();
    await page.goto(flow.url.href);
    await signIn();
    const tokens = await flow.redeem(await callback());
    const logout = oidc.buildEndSessionUrl(rpA.config, {
      id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${rpA.redirectUri}/bye`, state: 'bye-state',
    });
    await page.goto(logout.href);
    await page.getByRole('button', { name: /^sign out/i }).waitFor();
    await screenshot(page, 'logout');
    await page.getByRole('button', { name: /^sign out/i }).click();
    const bye = new URL(await callback());
    expect(bye.pathname).toBe('/a/bye');
    expect(bye.searchParams.get('state')).toBe('bye-state');
    await page.goto((await rpA.start({ prompt: 'none' })).url.href);
    expect(new URL(await callback()).searchParams.get('error')).toBe('login_required');
  });

  it('asks for the password again when max_age has passed, and honours id_token_hint with prompt=none', async () => {
    const flow = await rpA.start();
    await page.goto(flow.url.href);
    await signIn();
    const tokens = await flow.redeem(await callback());
    // id_token_hint naming the signed-in user: prompt=none succeeds silently.
    const silent = await rpA.start({ prompt: 'none', id_token_hint: tokens.id_token! });
    await page.goto(silent.url.href);
    const silentTokens = await silent.redeem(await callback());
    expect(silentTokens.claims()!.sub).toBe(tokens.claims()!.sub);
    // max_age=0: the session is too old, so the user must authenticate again.
    const before = Math.floor(Date.now() / 1000);
    const fresh = await rpA.start({ max_age: '0' });
    await page.goto(fresh.url.href);
    await page.getByLabel(/password/i).waitFor();
    await signIn();
    const again = await fresh.redeem(await callback());
    expect(again.claims()!.auth_time).toBeGreaterThanOrEqual(before);
  });

  it('shows a signed-out page when logging out without a redirect', async () => {
    await page.goto((await rpA.start()).url.href);
    await signIn();
    await callback();
    await page.goto(`${server.issuer}/session/end`);
    await page.getByRole('button', { name: /^sign out/i }).click();
    await page.getByText(/signed out/i).first().waitFor();
    await screenshot(page, 'logged-out');
    await page.goto((await rpA.start({ prompt: 'none' })).url.href);
    expect(new URL(await callback()).searchParams.get('error')).toBe('login_required');
  });

  it('rejects a login form posted without a valid CSRF token', async () => {
    await page.goto((await rpA.start()).url.href);
    const action = await page.locator('form[action$="/login"]').getAttribute('action');
    const res = await page.request.post(new URL(action!, server.issuer).href, {
      form: { email: EMAIL, password: PASSWORD, _csrf: 'forged' }, maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
  });
});
