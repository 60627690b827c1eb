// Implicit and hybrid responses are off (RFC 9700 §2.1.2): discovery offers
// only `code` (and `none`), the authorization endpoint refuses the others with
// an OAuth error, and no client can be registered for them.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { useServer } from '../../helpers/fixture.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';
import { discover } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';

describe('response types', () => {
  const server = useServer({ backend: 'postgres', env: { DYNAMIC_REGISTRATION: 'true' } });
  let clientId: string;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;

  beforeAll(async () => {
    clientId = (await server.services.stores.clients.create({ name: 'rt', redirectUris: [REDIRECT], scope: 'openid' })).clientId;
    as = createApi(server).as(await adminToken(server));
  });

  it('advertises neither the implicit grant nor implicit or hybrid response types', async () => {
    const issuer = new URL(server.issuer);
    const meta = await discover(issuer);
    expect([...meta.response_types_supported!].sort()).toEqual(['code', 'none']);
    expect(meta.grant_types_supported).not.toContain('implicit');
    expect(meta.grant_types_supported).toContain('authorization_code');
  });

  it.each(['id_token', 'code id_token', 'token', 'id_token token', 'code token'])(
    'refuses response_type=%s at the authorization endpoint with unsupported_response_type',
    async (responseType) => {
      const verifier = oauth.generateRandomCodeVerifier();
      const url = new URL(`${server.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: clientId, response_type: responseType, redirect_uri: REDIRECT, scope: 'openid', nonce: 'n-0S6_WzA2Mj', state: 's1',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      }).toString();
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(REDIRECT);
      // The error comes back in the query (the code flow's default mode), never with tokens.
      const params = new URLSearchParams(location.search || location.hash.slice(1));
      expect(params.get('error')).toBe('unsupported_response_type');
      expect(params.get('state')).toBe('s1');
      expect(params.get('id_token')).toBeNull();
      expect(params.get('access_token')).toBeNull();
    },
  );

  it('refuses to register a client for implicit or hybrid responses (RFC 7591 invalid_client_metadata)', async () => {
    const iat = (await as.post('/registration-tokens', { reusable: true, expires_in: 600 })).json.initial_access_token as string;
    for (const body of [
      { redirect_uris: [REDIRECT], response_types: ['id_token'], grant_types: ['implicit'] },
      { redirect_uris: [REDIRECT], response_types: ['code id_token'], grant_types: ['authorization_code', 'implicit'] },
      { redirect_uris: [REDIRECT], response_types: ['code id_token'], grant_types: ['authorization_code'] },
    ]) {
      const res = await fetch(`${server.issuer}/reg`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` }, body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_client_metadata');
    }
    const ok = await fetch(`${server.issuer}/reg`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` },
      body: JSON.stringify({ redirect_uris: [REDIRECT], response_types: ['code'] }),
    });
    expect(ok.status).toBe(201);
  });

  it('refuses implicit and hybrid clients through the admin API, naming the field', async () => {
    const implicit = await as.post('/clients', { client_name: 'old spa', redirect_uris: [REDIRECT], grant_types: ['implicit'] });
    expect(implicit.status).toBe(400);
    expect(fieldsOf(implicit)).toEqual(['grant_types.0']);
    const hybrid = await as.post('/clients', { client_name: 'hybrid', redirect_uris: [REDIRECT], response_types: ['code id_token'] });
    expect(hybrid.status).toBe(400);
    expect(fieldsOf(hybrid)).toEqual(['response_types']);
  });
});
