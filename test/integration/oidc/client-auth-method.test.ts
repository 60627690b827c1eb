// A client authenticates only with its registered token_endpoint_auth_method
// (RFC 7591 §2, OpenID Connect Core §9): client_secret_post and
// client_secret_basic are not interchangeable. Real token requests through
// oauth4webapi against a listening server.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { useServer } from '../../helpers/fixture.js';
import { createServiceClient } from '../../helpers/builders.js';
import { discover, insecure, basic, type TestClient } from '../../helpers/token-client.js';


describe('client authentication by the registered method only', () => {
  const server = useServer({ backend: 'postgres' });
  let as: oauth.AuthorizationServer;
  let postClient: TestClient;
  let basicClient: TestClient;

  /** client_credentials through oauth4webapi; the HTTP status, the token or the OAuth error. */
  async function tokenRequest(c: TestClient, auth: oauth.ClientAuth) {
    const res = await oauth.clientCredentialsGrantRequest(as, { client_id: c.clientId }, auth, new URLSearchParams(), insecure);
    const { status } = res;
    const wwwAuthenticate = res.headers.get('www-authenticate');
    if (status !== 200) return { status, token: undefined, error: ((await res.json()) as { error?: string }).error, wwwAuthenticate };
    const tokens = await oauth.processClientCredentialsResponse(as, { client_id: c.clientId }, res);
    return { status, token: tokens.access_token, error: undefined, wwwAuthenticate };
  }

  const introspectWith = (c: TestClient, how: 'basic' | 'post') =>
    fetch(`${server.issuer}/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(how === 'basic' ? { authorization: basic(c) } : {}) },
      body: new URLSearchParams({ token: 'whatever', ...(how === 'post' ? { client_id: c.clientId, client_secret: c.clientSecret } : {}) }),
    });

  beforeAll(async () => {
    as = await discover(server.issuer);
    postClient = await createServiceClient(server, { name: 'post', authMethod: 'client_secret_post' });
    basicClient = await createServiceClient(server, { name: 'basic' });
  });

  it('a client_secret_post client gets tokens with the secret in the body, and 401 invalid_client with Basic', async () => {
    const ok = await tokenRequest(postClient, oauth.ClientSecretPost(postClient.clientSecret));
    expect(ok.status).toBe(200);
    expect(ok.token).toMatch(/^[\w-]{43}$/);
    const wrong = await tokenRequest(postClient, oauth.ClientSecretBasic(postClient.clientSecret));
    expect(wrong).toMatchObject({ status: 401, error: 'invalid_client', token: undefined });
    expect(wrong.wwwAuthenticate).toMatch(/^Basic /);
  });

  it('a client_secret_basic client gets tokens with Basic, and 401 invalid_client with the secret in the body', async () => {
    const ok = await tokenRequest(basicClient, oauth.ClientSecretBasic(basicClient.clientSecret));
    expect(ok.status).toBe(200);
    expect(ok.token).toMatch(/^[\w-]{43}$/);
    const wrong = await tokenRequest(basicClient, oauth.ClientSecretPost(basicClient.clientSecret));
    expect(wrong).toMatchObject({ status: 401, error: 'invalid_client', token: undefined });
  });

  it('answers a wrong method exactly like a wrong secret (nothing learned about the secret)', async () => {
    const wrongMethod = await introspectWith(postClient, 'basic');
    const wrongSecret = await introspectWith({ ...postClient, clientSecret: 'not-the-secret' }, 'post');
    expect(wrongMethod.status).toBe(401);
    expect(wrongSecret.status).toBe(401);
    expect(await wrongMethod.json()).toEqual(await wrongSecret.json());
  });

  it('holds the other client-authenticating endpoints to the registered method too', async () => {
    expect((await introspectWith(postClient, 'post')).status).toBe(200);
    expect((await introspectWith(basicClient, 'basic')).status).toBe(200);
    expect((await introspectWith(basicClient, 'post')).status).toBe(401);
    const revoke = await fetch(`${server.issuer}/token/revocation`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(postClient) },
      body: new URLSearchParams({ token: 'whatever' }),
    });
    expect(revoke.status).toBe(401);
    expect((await revoke.json()).error).toBe('invalid_client');
  });
});
