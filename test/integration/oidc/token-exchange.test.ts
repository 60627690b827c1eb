// RFC 8693 token exchange with oauth4webapi as the client library, against a
// listening server: delegation across two hops, least privilege, errors per
// §2.2.2, revocation following the user's grant.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { createAccessTokenVerifier } from 'gatehouse/resource-server';
import { useServer } from '../../helpers/fixture.js';
import { createClient } from '../../helpers/builders.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { discover, insecure, exchangeCode, introspect, postForm, type TestClient } from '../../helpers/token-client.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const [A, B, C] = ['https://a.example/', 'https://b.example/', 'https://c.example/'];
const REDIRECT = 'https://web.example/cb';
const USER = { email: 'alice@example.com', password: 'exchange-me-please' };

describe('token exchange', () => {
  const server = useServer({ backend: 'postgres' });
  let as: oauth.AuthorizationServer;
  let web: TestClient;
  let svcA: TestClient;
  let svcB: TestClient;
  let userId: string;

  const service = async (name: string, policy: { audiences: string[]; subjectAudiences: string[]; mayImpersonate?: boolean } | null) => {
    const c = await server.services.stores.clients.create({ name, redirectUris: [], grantTypes: ['client_credentials', GRANT] });
    if (policy) await server.services.stores.exchangePolicies.set({ clientId: c.clientId, mayImpersonate: false, maxTtl: null, allowRefreshTokenSubject: false, allowIdTokenSubject: false, ...policy });
    return { clientId: c.clientId, clientSecret: c.clientSecret! };
  };
  const ownToken = async (c: TestClient, resource: string) =>
    (await postForm(server.issuer, '/token', c, { grant_type: 'client_credentials', resource, scope: 'orders:read' })).json.access_token as string;
  /** The real client library's generic grant request (RFC 8693 §2.1). */
  const exchange = async (c: TestClient, params: Record<string, string>) => {
    const res = await oauth.genericTokenEndpointRequest(as, { client_id: c.clientId }, oauth.ClientSecretBasic(c.clientSecret), GRANT, new URLSearchParams(params), insecure);
    return oauth.processGenericTokenEndpointResponse(as, { client_id: c.clientId }, res);
  };
  const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: oauth.ResponseBodyError) => e.error);
  const userTokens = async () => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: web.clientId, redirectUri: REDIRECT, ...USER,
      scope: 'openid offline_access orders:read orders:write', extra: { prompt: 'consent', resource: A },
    });
    return (await exchangeCode(server.issuer, web, REDIRECT, callback, verifier)).result;
  };

  beforeAll(async () => {
    userId = (await server.services.stores.users.create(USER)).id;
    for (const [indicator, scopes] of [[A, ['orders:read', 'orders:write']], [B, ['orders:read']], [C, ['orders:read']]] as const) {
      await server.services.stores.resources.create({ indicator, name: indicator, scopes: [...scopes], accessTokenTtl: 600 });
    }
    web = await createClient(server, { name: 'web', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    svcA = await service('service A', { audiences: [B], subjectAudiences: [A] });
    svcB = await service('service B', { audiences: [C], subjectAudiences: [B] });
    as = await discover(server.issuer);
  });

  it('lets A trade the user token for a narrower token for B, with act.sub = A, which B validates via JWKS', async () => {
    const user = await userTokens();
    const r = await exchange(svcA, {
      subject_token: user.access_token, subject_token_type: AT, actor_token: await ownToken(svcA, A), actor_token_type: AT,
      audience: B, scope: 'orders:read',
    });
    expect(r).toMatchObject({ issued_token_type: AT, token_type: 'bearer', scope: 'orders:read' });
    expect(r.expires_in).toBeLessThanOrEqual(600);
    const verifyAtB = createAccessTokenVerifier({ issuer: server.issuer, audience: B });
    const claims = await verifyAtB(r.access_token, ['orders:read']);
    expect(claims).toMatchObject({ sub: userId, clientId: svcA.clientId, act: { sub: svcA.clientId } });
    await expect(createAccessTokenVerifier({ issuer: server.issuer, audience: A })(r.access_token)).rejects.toThrow();
    const events = await server.services.stores.auditLog.page({ type: 'token_exchange', limit: 1 });
    expect(events[0]).toMatchObject({ outcome: 'success', subject: userId, clientId: svcA.clientId, details: { audience: B } });
  });

  it('nests act across two hops (A then B)', async () => {
    const user = await userTokens();
    const forB = await exchange(svcA, { subject_token: user.access_token, subject_token_type: AT, actor_token: await ownToken(svcA, A), actor_token_type: AT, audience: B });
    const forC = await exchange(svcB, { subject_token: forB.access_token, subject_token_type: AT, actor_token: await ownToken(svcB, B), actor_token_type: AT, resource: C });
    const claims = await createAccessTokenVerifier({ issuer: server.issuer, audience: C })(forC.access_token);
    expect(claims.act).toEqual({ sub: svcB.clientId, act: { sub: svcA.clientId } });
    expect(claims.sub).toBe(userId);
    expect(await introspect(server.issuer, svcB, forC.access_token)).toMatchObject({ active: true, act: { sub: svcB.clientId, act: { sub: svcA.clientId } } });
  });

  it('refuses to widen scope, to target unlisted audiences, and clients without a policy', async () => {
    const user = await userTokens();
    const actor = await ownToken(svcA, A);
    const base = { subject_token: user.access_token, subject_token_type: AT, actor_token: actor, actor_token_type: AT };
    expect(await fail(exchange(svcA, { ...base, audience: B, scope: 'orders:write' }))).toBe('invalid_scope');
    expect(await fail(exchange(svcA, { ...base, audience: C }))).toBe('invalid_target');
    expect(await fail(exchange(svcA, { ...base, audience: 'https://unknown.example/' }))).toBe('invalid_target');
    // A service that merely saw the token (it serves another API) cannot launder it.
    const bystander = await service('bystander', { audiences: [B], subjectAudiences: [C] });
    expect(await fail(exchange(bystander, { ...base, actor_token: await ownToken(bystander, B), audience: B }))).toBe('invalid_grant');
    const nobody = await service('no policy', null);
    expect(await fail(exchange(nobody, { subject_token: user.access_token, subject_token_type: AT, audience: B }))).toBe('unauthorized_client');
    expect(await fail(exchange(svcA, { ...base, audience: B, subject_token: 'garbage' }))).toBe('invalid_grant');
    expect(await fail(exchange(svcA, { audience: B }))).toBe('invalid_request');
    // Delegation-only client without an actor: impersonation is not allowed.
    expect(await fail(exchange(svcA, { subject_token: user.access_token, subject_token_type: AT, audience: B }))).toBe('invalid_request');
    const denied = await server.services.stores.auditLog.page({ type: 'token_exchange', limit: 20 });
    expect(denied.filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(6);
  });

  it('refuses sender-constrained (DPoP-bound) subject tokens: exchanging would shed the binding', async () => {
    const client: oauth.Client = { client_id: svcA.clientId };
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const res = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(svcA.clientSecret), new URLSearchParams({ resource: A, scope: 'orders:read' }), { DPoP: dpop, ...insecure });
    const bound = (await oauth.processClientCredentialsResponse(as, client, res)).access_token;
    expect(await fail(exchange(svcA, { subject_token: bound, subject_token_type: AT, actor_token: await ownToken(svcA, A), actor_token_type: AT, audience: B }))).toBe('invalid_grant');
  });

  it('allows impersonation only for clients whose policy says so', async () => {
    const imp = await service('impersonator', { audiences: [B], subjectAudiences: [A], mayImpersonate: true });
    const user = await userTokens();
    const r = await exchange(imp, { subject_token: user.access_token, subject_token_type: AT, audience: B });
    const claims = await createAccessTokenVerifier({ issuer: server.issuer, audience: B })(r.access_token);
    expect(claims.act).toBeUndefined();
    expect(claims.sub).toBe(userId);
  });

  it('follows the user grant: a revoked subject is invalid_grant and exchanged tokens become inactive', async () => {
    const user = await userTokens();
    const actor = await ownToken(svcA, A);
    const r = await exchange(svcA, { subject_token: user.access_token, subject_token_type: AT, actor_token: actor, actor_token_type: AT, audience: B });
    expect(await introspect(server.issuer, svcA, r.access_token)).toMatchObject({ active: true });
    const revoked = await postForm(server.issuer, '/token/revocation', web, { token: user.refresh_token!, token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);
    expect(await introspect(server.issuer, svcA, r.access_token)).toEqual({ active: false });
    expect(await fail(exchange(svcA, { subject_token: user.access_token, subject_token_type: AT, actor_token: actor, actor_token_type: AT, audience: B }))).toBe('invalid_grant');
  });
});
