// client_credentials, JWT access tokens for resource servers (RFC 9068),
// introspection (RFC 7662) and revocation (RFC 7009), on both backends.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { BACKENDS } from '../../helpers/databases.js';
import { useServer } from '../../helpers/fixture.js';
import { createServiceClient, createWebClient } from '../../helpers/builders.js';
import { signIn } from '../../helpers/http-login.js';
import { discover, introspect, postForm, refresh, type TestClient } from '../../helpers/token-client.js';

const API = 'https://api.example.com/';
const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'tok@example.com', password: 'tokens-tokens-tokens' };

describe.each(BACKENDS)('token endpoints on %s', (backend) => {
  const server = useServer({ backend });
  let service: TestClient;
  let webapp: TestClient;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    await server.services.stores.users.create(USER);
    await server.services.stores.resources.create({ indicator: API, name: 'API', scopes: ['read', 'write'], accessTokenTtl: 600 });
    service = await createServiceClient(server);
    webapp = await createWebClient(server, REDIRECT);
    as = await discover(server.issuer);
  });

  it('issues an RFC 9068 JWT access token for a resource with client_credentials', async () => {
    const res = await oauth.clientCredentialsGrantRequest(as, { client_id: service.clientId }, oauth.ClientSecretBasic(service.clientSecret),
      new URLSearchParams({ scope: 'read', resource: API }), { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processClientCredentialsResponse(as, { client_id: service.clientId }, res);
    expect(tokens.expires_in).toBe(600);
    const [header] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    // The resource server validates it with the issuer's JWKS (RFC 9068 §4).
    const request = new Request(API, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, API, { [oauth.allowInsecureRequests]: true });
    expect(claims).toMatchObject({ iss: server.issuer, aud: API, client_id: service.clientId, scope: 'read' });
  });

  it('issues an opaque token without a resource, and refuses unknown resources and public-ish misuse', async () => {
    const opaque = await postForm(server.issuer, '/token', service, { grant_type: 'client_credentials' });
    expect(opaque.status).toBe(200);
    expect((opaque.json.access_token as string).split('.')).toHaveLength(1);
    const unknown = await postForm(server.issuer, '/token', service, { grant_type: 'client_credentials', resource: 'https://nope.example/' });
    expect(unknown).toMatchObject({ status: 400, json: { error: 'invalid_target' } });
    const badSecret = await postForm(server.issuer, '/token', { ...service, clientSecret: 'wrong' }, { grant_type: 'client_credentials' });
    expect(badSecret).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const notAllowed = await postForm(server.issuer, '/token', webapp, { grant_type: 'client_credentials' });
    expect(notAllowed).toMatchObject({ status: 400, json: { error: 'unauthorized_client' } });
  });

  it('introspects garbage as inactive and never fails with 5xx', async () => {
    for (const token of ['garbage', 'a.b.c', 'x'.repeat(5000), '%00%ff', '{"a":1}']) {
      const r = await postForm(server.issuer, '/token/introspection', service, { token });
      expect(r, token.slice(0, 20)).toMatchObject({ status: 200, json: { active: false } });
      expect(r.json).toEqual({ active: false });
    }
    // An empty token is a missing parameter (RFC 7662 §2.1: token is REQUIRED).
    expect(await postForm(server.issuer, '/token/introspection', service, { token: '' })).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    // No client authentication: rejected before the token is looked at.
    const anon = await postForm(server.issuer, '/token/introspection', null, { token: 'garbage' });
    expect(anon.status).toBe(400);
    expect(anon.json.error).toBe('invalid_request');
  });

  it('revoking a refresh token kills the access tokens of its grant', async () => {
    const result = await signIn({
      issuer: server.issuer, client: webapp, redirectUri: REDIRECT, ...USER,
      scope: 'openid offline_access', extra: { prompt: 'consent' },
    });
    const refreshed = await refresh(server.issuer, webapp, result.refresh_token!);
    expect(await introspect(server.issuer, webapp, result.access_token)).toMatchObject({ active: true, sub: expect.any(String) });
    const revoked = await postForm(server.issuer, '/token/revocation', webapp, { token: refreshed.json.refresh_token as string, token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);
    for (const t of [result.access_token, refreshed.json.access_token as string, refreshed.json.refresh_token as string]) {
      expect(await introspect(server.issuer, webapp, t)).toEqual({ active: false });
    }
    // Revoking garbage is not an error (RFC 7009 §2.2).
    expect((await postForm(server.issuer, '/token/revocation', webapp, { token: 'garbage' })).status).toBe(200);
  });

  it('issues JWT access tokens for a resource in the authorization-code flow and on refresh', async () => {
    const result = await signIn({
      issuer: server.issuer, client: webapp, redirectUri: REDIRECT, ...USER,
      scope: 'openid offline_access read', extra: { prompt: 'consent', resource: API },
    });
    const jwtRefresh = await refresh(server.issuer, webapp, result.refresh_token!, { resource: API });
    expect(jwtRefresh.status).toBe(200);
    const at = jwtRefresh.json.access_token as string;
    const claims = await oauth.validateJwtAccessToken(as, new Request(API, { headers: { authorization: `Bearer ${at}` } }), API, { [oauth.allowInsecureRequests]: true });
    expect(claims).toMatchObject({ aud: API, scope: 'read', client_id: webapp.clientId });
  });
});
