// Refresh tokens for offline_access (OpenID Connect Core §11): a first-party
// client gets one without prompt=consent; a third-party client only with
// prompt=consent and the user's approval on the consent screen. Real code
// flows over HTTP (login and consent forms) and real token requests.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { useServer } from '../../helpers/fixture.js';
import { httpAuthorize, Jar } from '../../helpers/http-login.js';
import { discover, insecure, exchangeCode, refresh, type TestClient } from '../../helpers/token-client.js';

const USER = { email: 'offline@example.com', password: 'offline-access-please' };
const REDIRECT = 'https://rp.example/cb';

describe('offline_access and refresh tokens', () => {
  const server = useServer({ backend: 'postgres' });
  let firstParty: TestClient;
  let thirdParty: TestClient;
  let noOfflineScope: TestClient;

  const mk = async (name: string, o: { firstParty: boolean; scope: string }) => {
    const c = await server.services.stores.clients.create({ name, redirectUris: [REDIRECT], ...o });
    return { clientId: c.clientId, clientSecret: c.clientSecret! };
  };

  /** Code flow over HTTP; returns the token response and the pages the user saw. */
  async function flow(c: TestClient, scope: string, extra: Record<string, string> = {}, jar = new Jar()) {
    const pages: string[] = [];
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER, scope, extra, jar, onPage: (p) => pages.push(p),
    });
    const { result } = await exchangeCode(server.issuer, c, REDIRECT, callback, verifier);
    return { result, pages };
  }

  beforeAll(async () => {
    await server.services.stores.users.create(USER);
    firstParty = await mk('Own app', { firstParty: true, scope: 'openid offline_access' });
    thirdParty = await mk('Partner app', { firstParty: false, scope: 'openid offline_access' });
    noOfflineScope = await mk('Own app without offline', { firstParty: true, scope: 'openid' });
  });

  it('gives a first-party client a working refresh token for offline_access without prompt=consent', async () => {
    const { result, pages } = await flow(firstParty, 'openid offline_access');
    expect(pages).toEqual(['login']); // no consent screen
    expect(result.scope?.split(' ')).toContain('offline_access');
    expect(result.refresh_token).toMatch(/^[\w-]{43}$/);
    const r = await refresh(server.issuer, firstParty, result.refresh_token!);
    expect(r.status).toBe(200);
    expect(r.json.access_token).toMatch(/^[\w-]{43}$/);
    expect(r.json.refresh_token).toMatch(/^[\w-]{43}$/);
    expect(r.json.refresh_token).not.toBe(result.refresh_token); // rotated
  });

  it('gives a first-party client no refresh token when it did not ask for offline_access', async () => {
    const { result } = await flow(firstParty, 'openid');
    expect(result.refresh_token).toBeUndefined();
  });

  it('adds offline_access to a first-party client\'s existing grant in the same session, still without consent', async () => {
    const jar = new Jar();
    const plain = await flow(firstParty, 'openid', {}, jar);
    expect(plain.result.refresh_token).toBeUndefined();
    const offline = await flow(firstParty, 'openid offline_access', {}, jar);
    expect(offline.pages).toEqual([]); // signed in already, nothing shown
    expect(offline.result.refresh_token).toMatch(/^[\w-]{43}$/);
  });

  it('keeps offline_access for first-party clients through pushed authorization requests (RFC 9126)', async () => {
    const issuer = new URL(server.issuer);
    const as = await discover(issuer);
    const verifier = oauth.generateRandomCodeVerifier();
    const par = await oauth.pushedAuthorizationRequest(as, { client_id: firstParty.clientId }, oauth.ClientSecretBasic(firstParty.clientSecret), new URLSearchParams({
      response_type: 'code', redirect_uri: REDIRECT, scope: 'openid offline_access',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }), insecure);
    const { request_uri } = await oauth.processPushedAuthorizationResponse(as, { client_id: firstParty.clientId }, par);
    // The flow's own PKCE and scope parameters are ignored next to request_uri (RFC 9126 §4).
    const { callback } = await httpAuthorize({ issuer: server.issuer, clientId: firstParty.clientId, redirectUri: REDIRECT, ...USER, extra: { request_uri } });
    const { result } = await exchangeCode(server.issuer, firstParty, REDIRECT, callback, verifier);
    expect(result.refresh_token).toMatch(/^[\w-]{43}$/);
  });

  it('keeps offline_access for first-party clients in a form POST to /auth', async () => {
    const jar = new Jar();
    await flow(firstParty, 'openid', {}, jar);
    const verifier = oauth.generateRandomCodeVerifier();
    const res = await fetch(`${server.issuer}/auth`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({
        client_id: firstParty.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid offline_access',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      }),
    });
    const callback = new URL(res.headers.get('location')!);
    expect(callback.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    const { result } = await exchangeCode(server.issuer, firstParty, REDIRECT, callback, verifier);
    expect(result.refresh_token).toMatch(/^[\w-]{43}$/);
  });

  it('gives a third-party client no refresh token without prompt=consent (Core §11)', async () => {
    const { result, pages } = await flow(thirdParty, 'openid offline_access');
    expect(pages).toEqual(['login', 'consent']);
    expect(result.refresh_token).toBeUndefined();
    expect(result.scope?.split(' ') ?? []).not.toContain('offline_access');
  });

  it('gives a third-party client a refresh token with prompt=consent once the user approves it', async () => {
    const { result, pages } = await flow(thirdParty, 'openid offline_access', { prompt: 'consent' });
    expect(pages).toContain('consent');
    expect(result.refresh_token).toMatch(/^[\w-]{43}$/);
    expect((await refresh(server.issuer, thirdParty, result.refresh_token!)).status).toBe(200);
  });

  it('gives no refresh token to a first-party client whose registered scope lacks offline_access', async () => {
    const { result } = await flow(noOfflineScope, 'openid offline_access');
    expect(result.refresh_token).toBeUndefined();
  });
});
