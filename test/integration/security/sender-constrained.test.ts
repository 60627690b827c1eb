// DPoP (RFC 9449), mutual-TLS client auth with certificate-bound tokens
// (RFC 8705, behind a TLS-terminating proxy) and PAR (RFC 9126).
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { useServer } from '../../helpers/fixture.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { discover, insecure, postForm } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'pop@example.com', password: 'proof-of-possession' };
const pem = (n: string) => readFileSync(`test/fixtures/mtls/${n}.crt`, 'utf8');
const certHeader = (n: string) => ({ 'x-ssl-client-cert': encodeURIComponent(pem(n)), 'x-ssl-client-verify': 'SUCCESS' });

describe('sender-constrained tokens and PAR', () => {
  const server = useServer({ backend: 'postgres', env: { TRUST_PROXY: 'true' } });
  let as: oauth.AuthorizationServer;
  beforeAll(async () => {
    await server.services.stores.users.create(USER);
    as = await discover(server.issuer);
  });

  const userinfo = (token: string, scheme: string, headers: Record<string, string> = {}) =>
    fetch(as.userinfo_endpoint!, { headers: { authorization: `${scheme} ${token}`, ...headers } });

  it('binds an access token to a DPoP key and rejects it without a proof', async () => {
    const c = await server.services.stores.clients.create({ name: 'dpop', redirectUris: [REDIRECT], extra: { dpop_bound_access_tokens: true } });
    const client: oauth.Client = { client_id: c.clientId };
    const { callback, verifier } = await httpAuthorize({ issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER });
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);
    const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(c.clientSecret!), params, REDIRECT, verifier, { DPoP: dpop, ...insecure });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenRes).catch(async (e) => {
      if (!oauth.isDPoPNonceError(e)) throw e;
      return oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(c.clientSecret!), params, REDIRECT, verifier, { DPoP: dpop, ...insecure }));
    });
    expect(tokens.token_type).toBe('dpop');
    const ok = await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP: dpop, ...insecure });
    expect(ok.status).toBe(200);
    // No proof: rejected (oidc-provider answers 400 invalid_request for a missing
    // DPoP header and 401 invalid_token for the Bearer scheme downgrade).
    for (const scheme of ['DPoP', 'Bearer']) {
      const res = await userinfo(tokens.access_token, scheme);
      expect([400, 401]).toContain(res.status);
      expect(res.headers.get('www-authenticate')).toMatch(/error="(invalid_token|invalid_request|invalid_dpop_proof)"/);
    }
    // A proof from a different key does not help either.
    const other = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    expect((await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP: other, ...insecure })).status).toBe(401);
  });

  it('authenticates a client by self-signed certificate and binds its token to that certificate', async () => {
    const cert = new X509Certificate(pem('client-a'));
    const jwk = { ...cert.publicKey.export({ format: 'jwk' }), x5c: [cert.raw.toString('base64')] };
    const c = await server.services.stores.clients.create({
      name: 'mtls', redirectUris: [REDIRECT], authMethod: 'self_signed_tls_client_auth',
      extra: { jwks: { keys: [jwk] }, tls_client_certificate_bound_access_tokens: true },
    });
    expect(c.clientSecret).toBeUndefined();
    const { code, verifier } = await httpAuthorize({ issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER });
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: c.clientId };
    const wrongCert = await fetch(as.token_endpoint!, { method: 'POST', headers: { ...certHeader('client-b'), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(wrongCert.status).toBe(401);
    const res = await fetch(as.token_endpoint!, { method: 'POST', headers: { ...certHeader('client-a'), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(res.status).toBe(200);
    const { access_token } = await res.json() as { access_token: string };
    expect((await userinfo(access_token, 'Bearer', certHeader('client-a'))).status).toBe(200);
    expect((await userinfo(access_token, 'Bearer', certHeader('client-b'))).status).toBe(401);
    expect((await userinfo(access_token, 'Bearer')).status).toBe(401);
  });

  it('authenticates tls_client_auth clients only with a proxy-verified certificate and matching subject', async () => {
    const c = await server.services.stores.clients.create({
      name: 'pki', redirectUris: [], grantTypes: ['client_credentials'], authMethod: 'tls_client_auth',
      extra: { tls_client_auth_subject_dn: 'CN=client-a.gatehouse.test' },
    });
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId });
    const post = (headers: Record<string, string>) =>
      fetch(as.token_endpoint!, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await post(certHeader('client-a'))).status).toBe(200);
    expect((await post(certHeader('client-b'))).status).toBe(401);
    expect((await post({ ...certHeader('client-a'), 'x-ssl-client-verify': 'FAILED:unknown ca' })).status).toBe(401);
    expect((await post({ 'x-ssl-client-cert': 'garbage', 'x-ssl-client-verify': 'SUCCESS' })).status).toBe(401);
  });

  it('requires pushed authorization requests for clients that opt in', async () => {
    const c = await server.services.stores.clients.create({ name: 'par', redirectUris: [REDIRECT], extra: { require_pushed_authorization_requests: true } });
    const client: oauth.Client = { client_id: c.clientId };
    const challenge = await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier());
    const direct = await fetch(`${server.issuer}/auth?client_id=${c.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${challenge}&code_challenge_method=S256`, { redirect: 'manual' });
    // The redirect_uri is registered, so the error goes back to the client (RFC 6749 §4.1.2.1).
    expect(direct.status).toBe(303);
    const err = new URL(direct.headers.get('location')!);
    expect(err.origin + err.pathname).toBe(REDIRECT);
    expect(err.searchParams.get('error')).toBe('invalid_request');
    expect(err.searchParams.get('error_description')).toMatch(/pushed authorization request/i);
    const parRes = await oauth.pushedAuthorizationRequest(as, client, oauth.ClientSecretBasic(c.clientSecret!), new URLSearchParams({
      response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256',
    }), insecure);
    const { request_uri } = await oauth.processPushedAuthorizationResponse(as, client, parRes);
    const viaPar = await fetch(`${server.issuer}/auth?client_id=${c.clientId}&request_uri=${encodeURIComponent(request_uri)}`, { redirect: 'manual' });
    expect(viaPar.status).toBe(303);
    expect(viaPar.headers.get('location')).toMatch(/^\/interaction\//);
    const bad = await postForm(server.issuer, '/request', { clientId: c.clientId, clientSecret: c.clientSecret! }, { response_type: 'code', redirect_uri: 'https://evil.example/' });
    expect(bad.status).toBe(400);
  });
});
