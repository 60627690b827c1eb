// HTTP POST with form serialization at the authorization endpoint (OpenID
// Connect Core 1.0 §3.1.2.1) and at the end-session endpoint (RP-Initiated
// Logout 1.0 §2), against a listening server with a signed-in session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize, Jar } from '../../helpers/http-login.js';
import { exchangeCode, type TestClient } from '../../helpers/token-client.js';

const USER = { email: 'poster@example.com', password: 'forms-all-the-way-down' };
const REDIRECT = 'https://rp.example/cb';
const BYE = 'https://rp.example/bye';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('form POST at /auth and /session/end', () => {
  let store: TestStore;
  let server: TestServer;
  let rp: TestClient;

  const postForm = (jar: Jar, path: string, form: Record<string, string>) =>
    fetch(`${server.issuer}${path}`, { method: 'POST', redirect: 'manual', headers: { ...FORM, cookie: jar.header() }, body: new URLSearchParams(form) });

  async function authParams(extra: Record<string, string> = {}) {
    const verifier = oauth.generateRandomCodeVerifier();
    const params = {
      client_id: rp.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    };
    return { verifier, params };
  }

  /** Signs in through the login form; returns the browser's cookies and the first tokens. */
  async function signIn() {
    const jar = new Jar();
    const { callback, verifier } = await httpAuthorize({ issuer: server.issuer, clientId: rp.clientId, redirectUri: REDIRECT, ...USER, jar });
    const { result } = await exchangeCode(server.issuer, rp, REDIRECT, callback, verifier);
    return { jar, idToken: result.id_token! };
  }

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer({ ...store.env, TRUST_PROXY: 'true' });
    await server.services.stores.users.create(USER);
    const c = await server.services.stores.clients.create({
      name: 'Poster', redirectUris: [REDIRECT], postLogoutRedirectUris: [BYE], scope: 'openid', firstParty: true,
    });
    rp = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('answers a form POST to /auth in the signed-in session with a code that redeems at /token', async () => {
    const { jar } = await signIn();
    const { verifier, params } = await authParams({ state: 'posted' });
    const res = await postForm(jar, '/auth', params);
    expect(res.status).toBe(303);
    const callback = new URL(res.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('posted');
    expect(callback.searchParams.get('code')).toBeTruthy();
    callback.searchParams.delete('state');
    const { result } = await exchangeCode(server.issuer, rp, REDIRECT, callback, verifier);
    expect(result.access_token).toBeTruthy();
    expect(result.id_token).toBeTruthy();
  });

  it('sends a form POST to /auth without a session to the login page', async () => {
    const { params } = await authParams();
    const res = await postForm(new Jar(), '/auth', params);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/interaction\/[\w-]+$/);
  });

  it('answers a bad form POST to /auth with an OAuth error, not a 404', async () => {
    const { params } = await authParams({ response_type: 'code', code_challenge_method: 'plain' });
    const res = await postForm(new Jar(), '/auth', params);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('logs the session out on a form POST to /session/end and its confirmation', async () => {
    const { jar, idToken } = await signIn();
    const page = await postForm(jar, '/session/end', { id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 'bye-state' });
    expect(page.status).toBe(200);
    jar.store(page);
    const html = await page.text();
    expect(html).toContain('Poster');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(xsrf).toBeTruthy();
    const confirm = await postForm(jar, '/session/end/confirm', { xsrf: xsrf!, logout: 'yes' });
    expect(confirm.status).toBe(303);
    const back = new URL(confirm.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(BYE);
    expect(back.searchParams.get('state')).toBe('bye-state');
    jar.store(confirm);

    // The browser's session is gone: prompt=none now needs a sign-in.
    const { params } = await authParams({ prompt: 'none' });
    const silent = await postForm(jar, '/auth', params);
    expect(silent.status).toBe(303);
    expect(new URL(silent.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });

  it('refuses a logout confirmation without the form token', async () => {
    const { jar, idToken } = await signIn();
    const page = await postForm(jar, '/session/end', { id_token_hint: idToken, post_logout_redirect_uri: BYE });
    jar.store(page);
    const forged = await postForm(jar, '/session/end/confirm', { xsrf: 'forged', logout: 'yes' });
    expect(forged.status).toBe(400);
    // Still signed in: a silent authorization succeeds.
    const { params } = await authParams({ prompt: 'none' });
    const silent = await postForm(jar, '/auth', params);
    expect(new URL(silent.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it('sets the session cookie SameSite=None and Secure over HTTPS, and Lax over plain HTTP', async () => {
    const { jar } = await signIn();
    const { params } = await authParams();
    const plain = await postForm(jar, '/auth', params);
    const plainSession = plain.headers.getSetCookie().find((c) => c.startsWith('_session='));
    expect(plainSession).toMatch(/samesite=lax/i);
    expect(plainSession).not.toMatch(/secure/i);
    // TLS ended at a trusted proxy (TRUST_PROXY): what a cross-site form POST needs.
    const tls = await fetch(`${server.issuer}/auth`, {
      method: 'POST', redirect: 'manual', headers: { ...FORM, cookie: jar.header(), 'x-forwarded-proto': 'https' },
      body: new URLSearchParams((await authParams()).params),
    });
    const tlsSession = tls.headers.getSetCookie().find((c) => c.startsWith('_session='));
    expect(tlsSession).toMatch(/samesite=none/i);
    expect(tlsSession).toMatch(/secure/i);
    // Interaction cookies stay Lax either way.
    const fresh = await postForm(new Jar(), '/auth', (await authParams()).params);
    for (const c of fresh.headers.getSetCookie().filter((x) => x.startsWith('_interaction'))) expect(c).toMatch(/samesite=lax/i);
  });
});
