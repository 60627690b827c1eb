// Admin API authentication and authorization: Bearer tokens for the admin API
// resource with the admin scope, from admin clients (and admin users).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, postForm } from '../../helpers/token-client.js';
import { clientToken, createAdminClient, createApi } from '../../helpers/admin-api.js';
import { adminApiIndicator } from '../../../src/access/admin-access.js';

const REDIRECT = 'https://cli.example/cb';

describe('admin API authentication', () => {
  let store: TestStore;
  let server: TestServer;
  let api: ReturnType<typeof createApi>;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    api = createApi(server);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('answers 401 with a Bearer challenge without a token, and with an unusable one', async () => {
    const none = await api.call('GET', '/clients', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse-admin"');
    const basic = await fetch(`${server.issuer}/admin/api/clients`, { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
    for (const token of ['garbage', 'a.b.c', 'x'.repeat(3000)]) {
      const r = await api.call('GET', '/clients', token);
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('invalid_token');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse-admin", error="invalid_token"/);
    }
  });

  it('rejects tokens for another audience, and opaque tokens', async () => {
    await server.services.stores.resources.create({ indicator: 'https://other.example/', name: 'other', scopes: ['admin'], accessTokenTtl: null });
    const client = await createAdminClient(server);
    const other = await postForm(server.issuer, '/token', client, { grant_type: 'client_credentials', resource: 'https://other.example/', scope: 'admin' });
    expect(other.status).toBe(200);
    expect((await api.call('GET', '/users', other.json.access_token as string)).status).toBe(401);
    const opaque = await postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' });
    expect((await api.call('GET', '/users', opaque.json.access_token as string)).status).toBe(401);
  });

  it('answers 403 insufficient_scope for an admin-API token without the admin scope', async () => {
    const client = await createAdminClient(server);
    const r = await clientToken(server, client, '');
    expect(r.status).toBe(200);
    const res = await api.call('GET', '/clients', r.json.access_token as string);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('insufficient_scope');
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="admin"/);
  });

  it('never issues admin API tokens to clients without the admin flag', async () => {
    const plain = await createAdminClient(server, false);
    const r = await clientToken(server, plain);
    expect(r).toMatchObject({ status: 400, json: { error: 'invalid_target' } });
  });

  it('stops accepting a client token once the client loses the admin flag or is deleted', async () => {
    const client = await createAdminClient(server);
    const token = (await clientToken(server, client)).json.access_token as string;
    expect((await api.call('GET', '/clients', token)).status).toBe(200);
    await server.services.db.prisma.client.update({ where: { id: client.clientId }, data: { admin: false } });
    expect((await api.call('GET', '/clients', token)).status).toBe(403);
    await server.services.stores.clients.remove(client.clientId);
    expect((await api.call('GET', '/clients', token)).status).toBe(401);
  });

  describe('user tokens (authorization code)', () => {
    const scope = 'openid admin';
    let client: { clientId: string; clientSecret: string };
    const userToken = async (email: string, password: string) => {
      const { callback, verifier } = await httpAuthorize({
        issuer: server.issuer, clientId: client.clientId, redirectUri: REDIRECT, email, password, scope,
        extra: { resource: adminApiIndicator(server.issuer), prompt: 'consent' },
      });
      return (await exchangeCode(server.issuer, client, REDIRECT, callback, verifier)).result.access_token;
    };

    beforeAll(async () => {
      const c = await server.services.stores.clients.create({ name: 'admin cli', redirectUris: [REDIRECT], admin: true });
      client = { clientId: c.clientId, clientSecret: c.clientSecret! };
      await server.services.stores.users.create({ email: 'root@example.com', password: 'root-password-1', roles: ['admin'] });
      await server.services.stores.users.create({ email: 'joe@example.com', password: 'joe-password-1' });
    });

    it('accepts an admin user’s token and refuses a non-admin user the admin scope', async () => {
      const admin = await userToken('root@example.com', 'root-password-1');
      expect((await api.call('GET', '/users', admin)).status).toBe(200);
      const joe = await userToken('joe@example.com', 'joe-password-1');
      const r = await api.call('GET', '/users', joe);
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('insufficient_scope');
    });

    it('re-checks the user on every call: demoted is 403, disabled is 401', async () => {
      const token = await userToken('root@example.com', 'root-password-1');
      const root = (await server.services.stores.users.findByEmail('root@example.com'))!;
      await server.services.stores.users.update(root.id, { roles: [] });
      expect((await api.call('GET', '/users', token)).status).toBe(403);
      await server.services.stores.users.update(root.id, { roles: ['admin'] });
      await server.services.stores.users.setDisabled(root.id, true);
      expect((await api.call('GET', '/users', token)).status).toBe(401);
      await server.services.stores.users.setDisabled(root.id, false);
      expect((await api.call('GET', '/users', token)).status).toBe(200);
    });
  });
});
