// gatehouse/resource-server against a real listening Gatehouse: JWT tokens via
// JWKS (incl. refetch after key rotation), expiry, audience, scope, tampering,
// opaque tokens via introspection, DPoP binding, RFC 6750 responses.
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, requireAccessToken, verifyAccessToken, BearerError } from 'gatehouse/resource-server';
import { useServer } from '../../helpers/fixture.js';
import { createClient, createWebClient } from '../../helpers/builders.js';
import { signIn } from '../../helpers/http-login.js';
import { discover, postForm, type TestClient } from '../../helpers/token-client.js';
import { TOKEN_EXCHANGE } from '../../../src/exchange/exchange-policy-admin.js';
import { cliActor } from '../../../src/security/admin-audit.js';

const API = 'https://orders.example/';

describe('resource-server library', () => {
  const server = useServer({ backend: 'postgres', env: { KEY_PUBLISH_AHEAD_SECONDS: '0' } });
  let svc: TestClient;
  let api: Server;
  let apiUrl: string;
  let verify: ReturnType<typeof createAccessTokenVerifier>;
  const token = async (extra: Record<string, string> = {}) =>
    (await postForm(server.issuer, '/token', svc, { grant_type: 'client_credentials', resource: API, scope: 'orders:read', ...extra })).json.access_token as string;
  const call = (headers: Record<string, string>) => fetch(`${apiUrl}/orders`, { headers });

  beforeAll(async () => {
    await server.services.stores.resources.create({ indicator: API, name: 'Orders', scopes: ['orders:read', 'orders:write'], accessTokenTtl: 60 });
    svc = await createClient(server, { name: 'svc', redirectUris: [], grantTypes: ['client_credentials', TOKEN_EXCHANGE] });
    // The API's own client, registered as serving API (subject_audiences), so
    // it may introspect other clients' tokens for it (src/oidc/token-policies.ts).
    await server.services.admin.exchangePolicies.set(svc.clientId, {
      audiences: [API], subject_audiences: [API], may_impersonate: false, max_ttl: null, allow_refresh_token_subject: false, allow_id_token_subject: false,
    }, cliActor());
    verify = createAccessTokenVerifier({ issuer: server.issuer, audience: API, introspection: svc, jwksCooldownSeconds: 0 });
    const app = new Koa();
    app.use(requireAccessToken(verify, { scopes: ['orders:read'], realm: 'orders' }));
    app.use((ctx) => {
      ctx.body = { ok: true, client: ctx.state.auth.clientId };
    });
    api = createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((r) => api.once('listening', r));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    api?.close();
  });

  it('verifies in one call with the framework-free verifyAccessToken()', async () => {
    const claims = await verifyAccessToken(await token(), { issuer: server.issuer, audience: API, scopes: ['orders:read'] });
    expect(claims).toMatchObject({ clientId: svc.clientId, scopes: ['orders:read'] });
    await expect(verifyAccessToken(await token(), { issuer: server.issuer, audience: API, scopes: ['orders:write'] })).rejects.toMatchObject({ status: 403 });
  });

  it('accepts a valid JWT access token', async () => {
    const res = await call({ authorization: `Bearer ${await token()}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, client: svc.clientId });
  });

  it('answers RFC 6750 challenges: missing token, tampered signature, missing scope', async () => {
    const none = await call({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="orders"');
    const t = await token();
    const [h, p, s] = t.split('.');
    const flipped = s!.slice(0, -4) + (s!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const tampered = await call({ authorization: `Bearer ${h}.${p}.${flipped}` });
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const forged = await call({ authorization: `Bearer ${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), scope: 'orders:read orders:write' })).toString('base64url')}.${s}` });
    expect(forged.status).toBe(401);
    const writeOnly = await verify(await token({ scope: 'orders:write' }), ['orders:read']).catch((e: unknown) => e);
    expect(writeOnly).toBeInstanceOf(BearerError);
    expect((writeOnly as BearerError).status).toBe(403);
    const r403 = await call({ authorization: `Bearer ${await token({ scope: 'orders:write' })}` });
    expect(r403.status).toBe(403);
    expect(r403.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", error_description="[^"]*", scope="orders:read"/);
  });

  it('rejects a token for another audience and an expired token', async () => {
    await server.services.stores.resources.create({ indicator: 'https://billing.example/', name: 'Billing', scopes: ['orders:read'], accessTokenTtl: 1 });
    const other = await token({ resource: 'https://billing.example/' });
    await expect(verify(other)).rejects.toMatchObject({ code: 'invalid_token', description: 'token aud invalid' });
    await new Promise((r) => setTimeout(r, 7000)); // 1 s lifetime + 5 s clock tolerance
    await expect(verify(other)).rejects.toMatchObject({ code: 'invalid_token' });
    const expired = createAccessTokenVerifier({ issuer: server.issuer, audience: 'https://billing.example/', clockToleranceSeconds: 0 });
    await expect(expired(other)).rejects.toMatchObject({ description: 'token expired' });
  }, 20_000);

  it('refetches the JWKS when a token names an unknown key (rotation)', async () => {
    expect((await verify(await token())).clientId).toBe(svc.clientId); // JWKS cached now
    await server.services.stores.keys.rotate(true);
    await server.refreshKeys();
    const fresh = await token();
    const kid = JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString()).kid;
    expect((await server.services.stores.keys.list()).find((k) => k.kid === kid)?.status).toBe('active');
    expect((await verify(fresh)).clientId).toBe(svc.clientId);
  });

  it('validates opaque tokens through introspection', async () => {
    const own = (await postForm(server.issuer, '/token', svc, { grant_type: 'client_credentials' })).json.access_token as string;
    expect(own.split('.')).toHaveLength(1);
    // Introspected (it is svc's own token), but opaque client_credentials
    // tokens carry no audience for this API: refused.
    await expect(verify(own)).rejects.toMatchObject({ description: 'token aud invalid' });
    // Another client's opaque token without this API as audience: svc may not
    // see it at all (RFC 7662 §4), so it is simply not active.
    const c = await server.services.stores.clients.create({ name: 'opaque', redirectUris: [], grantTypes: ['client_credentials'] });
    const foreign = (await postForm(server.issuer, '/token', { clientId: c.clientId, clientSecret: c.clientSecret! }, { grant_type: 'client_credentials' })).json.access_token as string;
    await expect(verify(foreign)).rejects.toMatchObject({ description: 'token is not active' });
    await expect(verify('garbage-token')).rejects.toMatchObject({ description: 'token is not active' });
  });

  it('can introspect JWTs too, noticing a revoked grant before expiry', async () => {
    const webClient = await createWebClient(server, 'https://web.example/cb');
    const user = await server.services.stores.users.create({ email: 'rs@example.com', password: 'resource-server-1' });
    const result = await signIn({
      issuer: server.issuer, client: webClient, redirectUri: 'https://web.example/cb', email: 'rs@example.com', password: 'resource-server-1',
      scope: 'openid offline_access orders:read', extra: { prompt: 'consent', resource: API },
    });
    const strict = createAccessTokenVerifier({ issuer: server.issuer, audience: API, introspection: svc, introspectJwts: true });
    expect((await strict(result.access_token, ['orders:read'])).sub).toBe(user.id);
    await postForm(server.issuer, '/token/revocation', webClient, { token: result.refresh_token!, token_type_hint: 'refresh_token' });
    const fresh = createAccessTokenVerifier({ issuer: server.issuer, audience: API, introspection: svc, introspectJwts: true });
    await expect(fresh(result.access_token)).rejects.toMatchObject({ description: 'token is not active' });
    expect((await verify(result.access_token)).sub).toBe(user.id); // signature-only: valid until it expires
  });

  it('requires a matching DPoP proof for DPoP-bound tokens', async () => {
    const client: oauth.Client = { client_id: svc.clientId };
    const as = await discover(server.issuer);
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const res = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(svc.clientSecret), new URLSearchParams({ resource: API, scope: 'orders:read' }), { DPoP: dpop, [oauth.allowInsecureRequests]: true });
    const { access_token } = await oauth.processClientCredentialsResponse(as, client, res);
    expect((await call({ authorization: `Bearer ${access_token}` })).status).toBe(401);
    expect((await call({ authorization: `DPoP ${access_token}` })).status).toBe(401);
    const ok = await oauth.protectedResourceRequest(access_token, 'GET', new URL(`${apiUrl}/orders`), new Headers(), null, { DPoP: dpop, [oauth.allowInsecureRequests]: true });
    expect(ok.status).toBe(200);
  });
});
