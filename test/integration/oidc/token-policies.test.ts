// Who may introspect (RFC 7662 §4) and revoke (RFC 7009 §2.1) which token
// (src/oidc/token-policies.ts), against a listening server with real user
// tokens (opaque and RFC 9068 JWT) and oauth4webapi as the client library.
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/http/logger.js';
import { TOKEN_EXCHANGE } from '../../../src/exchange/exchange-policy-admin.js';
import { useServer } from '../../helpers/fixture.js';
import { createClient } from '../../helpers/builders.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { discover, insecure, exchangeCode, introspect, postForm, refresh, type TestClient } from '../../helpers/token-client.js';
import { cliActor } from '../../../src/security/admin-audit.js';

const API = 'https://orders.example/';
const OTHER_API = 'https://billing.example/';
const REDIRECT = 'https://a.example/cb';
const USER = { email: 'policy@example.com', password: 'who-may-see-this' };

describe('introspection and revocation policies', () => {
  const server = useServer({ backend: 'postgres', logger: createLogger('info', { write: (s: string) => void logLines.push(s) }) });
  let a: TestClient; // the web app the user signed in to
  let b: TestClient; // another confidential client
  let rs: TestClient; // the orders API's own client (serves API)
  let elsewhere: TestClient; // serves another API
  const logLines: string[] = [];

  const client = (name: string, o: { redirectUris?: string[]; grantTypes?: string[]; scope?: string }) =>
    createClient(server, { name, redirectUris: o.redirectUris ?? [], ...o });
  const userTokens = async (resource?: string) => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: a.clientId, redirectUri: REDIRECT, ...USER,
      scope: resource ? 'openid offline_access orders:read' : 'openid offline_access',
      extra: { prompt: 'consent', ...(resource ? { resource } : {}) },
    });
    return (await exchangeCode(server.issuer, a, REDIRECT, callback, verifier)).result;
  };
  /** RFC 7662 through the client library (it also checks the response shape). */
  const libIntrospect = async (c: TestClient, token: string) => {
    const as = await discover(server.issuer);
    const res = await oauth.introspectionRequest(as, { client_id: c.clientId }, oauth.ClientSecretBasic(c.clientSecret), token, insecure);
    return oauth.processIntrospectionResponse(as, { client_id: c.clientId }, res);
  };

  beforeAll(async () => {
    await server.services.stores.users.create(USER);
    await server.services.stores.resources.create({ indicator: API, name: 'Orders', scopes: ['orders:read'], accessTokenTtl: 600 });
    await server.services.stores.resources.create({ indicator: OTHER_API, name: 'Billing', scopes: ['orders:read'], accessTokenTtl: 600 });
    a = await client('A', { redirectUris: [REDIRECT], scope: 'openid offline_access' });
    b = await client('B', { grantTypes: ['client_credentials'] });
    rs = await client('orders API', { grantTypes: ['client_credentials', TOKEN_EXCHANGE] });
    elsewhere = await client('billing API', { grantTypes: ['client_credentials', TOKEN_EXCHANGE] });
    // The exchange policy names the APIs a client serves (subject_audiences).
    const policy = { mayImpersonate: false, maxTtl: null, allowRefreshTokenSubject: false, allowIdTokenSubject: false };
    await server.services.admin.exchangePolicies.set(rs.clientId, { audiences: [OTHER_API], subject_audiences: [API], may_impersonate: false, max_ttl: null, allow_refresh_token_subject: false, allow_id_token_subject: false }, cliActor());
    await server.services.stores.exchangePolicies.set({ clientId: elsewhere.clientId, audiences: [API], subjectAudiences: [OTHER_API], ...policy });
  });

  it("keeps a client's opaque access and refresh tokens from other clients", async () => {
    const t = await userTokens();
    expect(t.access_token.split('.')).toHaveLength(1);
    for (const token of [t.access_token, t.refresh_token!]) {
      expect(await introspect(server.issuer, b, token)).toEqual({ active: false });
      expect(await introspect(server.issuer, rs, token)).toEqual({ active: false });
      expect(await libIntrospect(b, token)).toEqual({ active: false });
      expect(await libIntrospect(a, token)).toMatchObject({ active: true, client_id: a.clientId, sub: expect.any(String) });
    }
  });

  it('lets a resource-server client introspect access tokens for its API, and nothing else', async () => {
    const t = await userTokens(API);
    expect(t.access_token.split('.')).toHaveLength(3);
    expect(await libIntrospect(rs, t.access_token)).toMatchObject({ active: true, aud: API, client_id: a.clientId, scope: 'orders:read' });
    expect(await libIntrospect(a, t.access_token)).toMatchObject({ active: true, aud: API });
    expect(await introspect(server.issuer, b, t.access_token)).toEqual({ active: false });
    expect(await introspect(server.issuer, elsewhere, t.access_token)).toEqual({ active: false });
    // The refresh token of that grant is still only A's business.
    expect(await introspect(server.issuer, rs, t.refresh_token!)).toEqual({ active: false });
    // client_credentials tokens follow the same rule.
    const cc = (await postForm(server.issuer, '/token', b, { grant_type: 'client_credentials', resource: API, scope: 'orders:read' })).json.access_token as string;
    const ccOpaque = (await postForm(server.issuer, '/token', b, { grant_type: 'client_credentials' })).json.access_token as string;
    expect(await libIntrospect(rs, cc)).toMatchObject({ active: true, client_id: b.clientId });
    expect(await introspect(server.issuer, elsewhere, cc)).toEqual({ active: false });
    expect(await libIntrospect(b, ccOpaque)).toMatchObject({ active: true, client_id: b.clientId });
    expect(await introspect(server.issuer, rs, ccOpaque)).toEqual({ active: false });
    expect(await introspect(server.issuer, a, ccOpaque)).toEqual({ active: false });
  });

  it("ignores another client's revocation: 200, and the token stays valid", async () => {
    const t = await userTokens();
    for (const [token, hint] of [[t.access_token, 'access_token'], [t.refresh_token!, 'refresh_token']] as const) {
      const r = await postForm(server.issuer, '/token/revocation', b, { token, token_type_hint: hint });
      expect(r).toMatchObject({ status: 200, text: '' });
    }
    expect(await libIntrospect(a, t.access_token)).toMatchObject({ active: true });
    expect(await libIntrospect(a, t.refresh_token!)).toMatchObject({ active: true });
    const me = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(me.status).toBe(200);
    // The owner can revoke; then it is gone.
    expect((await postForm(server.issuer, '/token/revocation', a, { token: t.refresh_token!, token_type_hint: 'refresh_token' })).status).toBe(200);
    expect(await libIntrospect(a, t.refresh_token!)).toEqual({ active: false });
    expect((await refresh(server.issuer, a, t.refresh_token!)).json.error).toBe('invalid_grant');
  });

  it("configures oidc-provider's policies: no notice about its default ones", () => {
    const notices = logLines.filter((l) => l.includes('"source":"oidc-provider"'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(notices.filter((l) => /allowedPolicy/.test(l))).toEqual([]);
  });
});
