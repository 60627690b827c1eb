// Device Authorization Grant (RFC 8628) end to end: openid-client as the
// device (a public client, as a CLI or TV app is), real Chromium as the
// person at the verification URI, a real listening server on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import * as oauth from 'oauth4webapi';
import { createTestStore, type TestStore } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { adminToken, createApi } from '../helpers/admin-api.js';
import { runCli } from '../../src/cli/index.js';

const EMAIL = 'linus@example.com';
const PASSWORD = 'television remote control';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device authorization grant in the browser', () => {
  let store: TestStore;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tv: oidc.Configuration;
  let cliClientId: string;
  let cspErrors: string[];

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    await server.services.stores.users.create({ email: EMAIL, password: PASSWORD, name: 'Linus', emailVerified: true });
    // A public device client through the admin API (third party: consent is shown)...
    const api = createApi(server);
    const created = await api.call('POST', '/clients', await adminToken(server), {
      client_name: 'Living Room TV', grant_types: [DEVICE_CODE, 'refresh_token'], token_endpoint_auth_method: 'none',
      scope: 'openid profile offline_access',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.client_secret).toBeNull();
    tv = await oidc.discovery(new URL(server.issuer), created.json.client_id, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    // ...and one through the CLI, as its help text shows.
    const out: string[] = [];
    const code = await runCli(['client', 'create', '--name', 'Deploy CLI', '--grant-types', DEVICE_CODE, '--public', '--json'],
      { out: (t) => out.push(t), err: (t) => out.push(t), env: { ...store.env, ISSUER: server.issuer } });
    expect(code, out.join('\n')).toBe(0);
    cliClientId = JSON.parse(out.join('\n')).client_id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await store?.dispose();
  });
  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext();
    page = await context.newPage();
    cspErrors = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });

  /** One poll, without waiting: the raw RFC 8628 §3.5 answer. */
  async function pollOnce(clientId: string, deviceCode: string) {
    const as = tv.serverMetadata() as oauth.AuthorizationServer;
    const res = await oauth.deviceCodeGrantRequest(as, { client_id: clientId }, oauth.None(), deviceCode, { [oauth.allowInsecureRequests]: true });
    return { status: res.status, body: await res.json() };
  }

  async function enterCode(code: string) {
    await page.getByLabel('Device code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('is advertised in discovery', async () => {
    const d = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect(d.device_authorization_endpoint).toBe(`${server.issuer}/device/auth`);
    expect(d.grant_types_supported).toContain(DEVICE_CODE);
  });

  it('completes: wrong code, right code, confirm, sign in, consent, and the polling device gets tokens', async () => {
    const flow = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid profile offline_access' });
    expect(flow.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(flow.verification_uri).toBe(`${server.issuer}/device`);

    const res = await page.goto(flow.verification_uri);
    expect(res!.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await screenshot(page, 'device-code');

    await enterCode('BCDF-GHJK');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/not valid/);
    expect(await page.getByLabel('Device code').count()).toBe(1); // the form is offered again
    expect(await page.getAttribute('#user-code', 'aria-invalid')).toBe('true');
    await screenshot(page, 'device-code-error');

    await enterCode(flow.user_code.toLowerCase().replace('-', ''));
    await page.locator('#confirm-code').waitFor();
    expect(await page.textContent('#confirm-code')).toBe(flow.user_code);
    expect(await page.textContent('h1')).toContain('Living Room TV');
    await screenshot(page, 'device-confirm');
    const pending = await pollOnce(tv.clientMetadata().client_id, flow.device_code);
    expect([pending.status, pending.body.error]).toEqual([400, 'authorization_pending']);

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel(/email/i).fill(EMAIL);
    await page.getByLabel(/password/i).fill(PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('button', { name: /allow/i }).click();
    await page.getByRole('heading', { name: 'Your device is connected' }).waitFor();
    expect(await page.textContent('body')).toContain('Living Room TV');
    await screenshot(page, 'device-success');

    const tokens = await oidc.pollDeviceAuthorizationGrant(tv, flow);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(server.issuer);
    expect(claims.aud).toBe(tv.clientMetadata().client_id);
    const info = await oidc.fetchUserInfo(tv, tokens.access_token, claims.sub);
    expect(info.name).toBe('Linus');
    // The code is single-use (RFC 8628 §3.5): a second poll gets nothing.
    expect((await pollOnce(tv.clientMetadata().client_id, flow.device_code)).body.error).toBe('invalid_grant');
    expect(cspErrors).toEqual([]);
  });

  it('answers access_denied to the device when the person cancels', async () => {
    const flow = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid' });
    await page.goto(flow.verification_uri);
    await enterCode(flow.user_code);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/cancelled/);
    await screenshot(page, 'device-cancelled');
    const denied = await pollOnce(tv.clientMetadata().client_id, flow.device_code);
    expect([denied.status, denied.body.error]).toEqual([400, 'access_denied']);
    // And the same code cannot be used again.
    await page.goto(flow.verification_uri);
    await enterCode(flow.user_code);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/already been used/);
  });

  it('opens verification_uri_complete straight at the confirmation, under the strict CSP, on a 390px screen', async () => {
    const out = await fetch(`${server.issuer}/device/auth`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: cliClientId, scope: 'openid' }),
    });
    expect(out.status).toBe(200);
    const flow = await out.json();
    await page.setViewportSize({ width: 390, height: 800 });
    const res = await page.goto(flow.verification_uri_complete);
    // The auto-submitting form's one inline script is allowed by its hash only.
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(res!.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
    await page.locator('#confirm-code').waitFor();
    expect(await page.textContent('#confirm-code')).toBe(flow.user_code);
    expect(await page.textContent('h1')).toContain('Deploy CLI');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'device-confirm-390');
    expect(cspErrors).toEqual([]);
  });

  it('refuses the device grant to a client that did not opt in', async () => {
    const c = await server.services.stores.clients.create({ name: 'Web only', redirectUris: ['http://127.0.0.1/cb'], public: true });
    const res = await fetch(`${server.issuer}/device/auth`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: c.clientId, scope: 'openid' }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error, JSON.stringify(body)).toBe('unauthorized_client');
  });
});
