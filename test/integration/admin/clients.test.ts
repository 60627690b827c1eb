// /admin/api/clients: every route, validation (400 naming fields, including
// oidc-provider's own metadata rules), secrets shown once and never again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { exchangeCode, introspect, postForm } from '../../helpers/token-client.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';
import { CONSOLE_CLIENT_ID } from '../../../src/admin/admin-setup.js';

describe('admin API: clients', () => {
  let store: TestStore;
  let server: TestServer;
  let api: ReturnType<typeof createApi>;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  const secrets: string[] = [];

  const create = async (body: Record<string, unknown>) => {
    const r = await as.post('/clients', body);
    if (r.json?.client_secret) secrets.push(r.json.client_secret);
    return r;
  };
  const ccToken = (clientId: string, clientSecret: string) =>
    postForm(server.issuer, '/token', { clientId, clientSecret }, { grant_type: 'client_credentials' });

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    api = createApi(server);
    as = api.as(await adminToken(server));
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('creates a confidential client: 201, Location, the secret once, stored encrypted', async () => {
    const r = await create({ client_name: 'Web', redirect_uris: ['https://web.example/cb'], scope: 'openid email' });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/admin/api/clients/${r.json.client_id}`);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.json).toMatchObject({
      client_name: 'Web', redirect_uris: ['https://web.example/cb'], grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic', first_party: false, admin: false, has_secret: true,
    });
    expect(r.json.client_secret).toMatch(/^[\w-]{40,}$/);
    const row = await server.services.db.prisma.client.findUnique({ where: { id: r.json.client_id } });
    expect(row!.secretEncrypted).not.toContain(r.json.client_secret);
    expect(JSON.stringify(row!.metadata)).not.toContain(r.json.client_secret);
    // Audited: who, through which client, which object; never the body or the secret.
    const [event] = await server.services.stores.auditLog.list('admin.client.create', 1);
    expect(event).toMatchObject({ outcome: 'success', details: { via: 'api', object_id: r.json.client_id } });
    expect(event!.clientId).toBeTruthy();
    expect(JSON.stringify(event!.details)).not.toContain(r.json.client_secret);
  });

  it('creates public and client-credentials clients', async () => {
    const spa = await create({ client_name: 'SPA', redirect_uris: ['http://localhost:5173/cb'], token_endpoint_auth_method: 'none' });
    expect(spa.status).toBe(201);
    expect(spa.json).toMatchObject({ client_secret: null, has_secret: false, token_endpoint_auth_method: 'none' });
    const svc = await create({ client_name: 'Service', grant_types: ['client_credentials'] });
    expect(svc.status).toBe(201);
    expect((await ccToken(svc.json.client_id, svc.json.client_secret)).status).toBe(200);
    const jwt = await create({ client_name: 'Keys', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://keys.example/jwks' });
    expect(jwt.status).toBe(201);
    expect(jwt.json).toMatchObject({ client_secret: null, has_secret: false, jwks_uri: 'https://keys.example/jwks' });
    const noKeys = await create({ client_name: 'No keys', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' });
    expect(noKeys).toMatchObject({ status: 400, json: { error: 'invalid_client_metadata' } });
  });

  it('rejects invalid input with 400 naming the fields', async () => {
    const missing = await create({ redirect_uris: ['not a uri'] });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe('invalid_request');
    expect(fieldsOf(missing)).toEqual(expect.arrayContaining(['client_name', 'redirect_uris.0']));
    const unknown = await create({ client_name: 'x', redirect_uris: ['https://x.example/cb'], client_secret: 'mine' });
    expect(fieldsOf(unknown)).toEqual(['client_secret']);
    const types = await create({ client_name: 'x', first_party: 'yes', refresh_token_idle_ttl: -5, token_endpoint_auth_method: 'magic' });
    expect(fieldsOf(types).sort()).toEqual(['first_party', 'refresh_token_idle_ttl', 'token_endpoint_auth_method']);
    const notJson = await as.post('/clients', '{"client_name":');
    expect(notJson.status).toBe(400);
  });

  it('applies oidc-provider’s metadata rules before saving (invalid_client_metadata / invalid_redirect_uri)', async () => {
    const fragment = await create({ client_name: 'x', redirect_uris: ['https://x.example/cb#frag'] });
    expect(fragment.status).toBe(400);
    expect(fragment.json.error).toBe('invalid_redirect_uri');
    expect(fieldsOf(fragment)).toEqual(['redirect_uris']);
    const grant = await create({ client_name: 'x', redirect_uris: ['https://x.example/cb'], grant_types: ['urn:example:unknown'] });
    expect(grant.status).toBe(400);
    expect(grant.json.error).toBe('invalid_client_metadata');
    expect(fieldsOf(grant)).toEqual(['grant_types']);
    const ttl = await create({ client_name: 'x', redirect_uris: ['https://x.example/cb'], refresh_token_absolute_ttl: 999_999_999 });
    expect(ttl).toMatchObject({ status: 400, json: { error: 'invalid_client_metadata' } });
    expect(fieldsOf(ttl)).toEqual(['refresh_token_absolute_ttl']);
    expect((await server.services.stores.clients.list()).items.map((c) => c.name)).not.toContain('x');
  });

  it('lists with paging and validates the paging parameters', async () => {
    const all = await as.get('/clients?limit=200');
    expect(all.status).toBe(200);
    const total = all.json.total as number;
    expect(all.json.items.map((c: { client_id: string }) => c.client_id)).toContain(CONSOLE_CLIENT_ID);
    const page = await as.get('/clients?limit=2&offset=1');
    expect(page.json).toMatchObject({ total, limit: 2, offset: 1 });
    expect(page.json.items).toEqual(all.json.items.slice(1, 3));
    const bad = await as.get('/clients?limit=0&offset=-1&colour=red');
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad).sort()).toEqual(['colour', 'limit', 'offset']);
  });

  it('gets one client without its secret, 404 for an unknown one', async () => {
    const c = await create({ client_name: 'Get me', redirect_uris: ['https://get.example/cb'] });
    const r = await as.get(`/clients/${c.json.client_id}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ client_id: c.json.client_id, client_name: 'Get me', has_secret: true });
    expect(r.json).not.toHaveProperty('client_secret');
    expect(await as.get('/clients/nope')).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });

  it('updates a client (PATCH), validates, and hands out a secret only when it becomes confidential', async () => {
    const c = await create({ client_name: 'Patch', redirect_uris: ['https://p.example/cb'], scope: 'openid' });
    const id = c.json.client_id as string;
    const r = await as.patch(`/clients/${id}`, { client_name: 'Patched', redirect_uris: ['https://p.example/cb2'], scope: null, first_party: true });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ client_name: 'Patched', redirect_uris: ['https://p.example/cb2'], first_party: true });
    expect(r.json).not.toHaveProperty('scope');
    expect(r.json).not.toHaveProperty('client_secret');
    expect(fieldsOf(await as.patch(`/clients/${id}`, { redirect_uris: 'https://p.example' }))).toEqual(['redirect_uris']);
    expect((await as.patch(`/clients/${id}`, { grant_types: ['urn:example:unknown'] })).json.error).toBe('invalid_client_metadata');
    expect(fieldsOf(await as.patch(`/clients/${id}`, { grant_types: ['implicit'] }))).toEqual(['grant_types.0']);
    const pub = await as.patch(`/clients/${id}`, { token_endpoint_auth_method: 'none' });
    expect(pub.json).toMatchObject({ has_secret: false, token_endpoint_auth_method: 'none' });
    const conf = await as.patch(`/clients/${id}`, { token_endpoint_auth_method: 'client_secret_post' });
    expect(conf.json.client_secret).toMatch(/^[\w-]{40,}$/);
    secrets.push(conf.json.client_secret);
    expect(await as.patch('/clients/nope', { client_name: 'x' })).toMatchObject({ status: 404 });
  });

  it('rotates a secret: the new one works at once, the old one stops', async () => {
    const c = await create({ client_name: 'Rotate', grant_types: ['client_credentials'] });
    const id = c.json.client_id as string;
    const r = await as.post(`/clients/${id}/secret`);
    expect(r.status).toBe(200);
    expect(r.json.client_id).toBe(id);
    secrets.push(r.json.client_secret);
    expect((await ccToken(id, r.json.client_secret)).status).toBe(200);
    expect((await ccToken(id, c.json.client_secret)).status).toBe(401);
    const spa = await create({ client_name: 'No secret', redirect_uris: ['http://localhost/cb'], token_endpoint_auth_method: 'none' });
    expect(await as.post(`/clients/${spa.json.client_id}/secret`)).toMatchObject({ status: 409, json: { error: 'conflict' } });
    expect((await as.post('/clients/nope/secret')).status).toBe(404);
  });

  it('deletes a client and revokes its tokens', async () => {
    const c = await create({ client_name: 'Doomed', redirect_uris: ['https://doomed.example/cb'], grant_types: ['authorization_code', 'client_credentials'] });
    const doomed = { clientId: c.json.client_id as string, clientSecret: c.json.client_secret as string };
    const token = (await ccToken(doomed.clientId, doomed.clientSecret)).json.access_token as string;
    expect(await introspect(server.issuer, doomed, token)).toMatchObject({ active: true });
    // A user's token for the client, checked by a real API call (/me): only
    // the token's own client may introspect it (src/oidc/token-policies.ts).
    const user = { email: 'doomed-user@example.com', password: 'doomed-user-password' };
    await server.services.stores.users.create(user);
    const { callback, verifier } = await httpAuthorize({ issuer: server.issuer, clientId: doomed.clientId, redirectUri: 'https://doomed.example/cb', ...user, scope: 'openid' });
    const { result } = await exchangeCode(server.issuer, doomed, 'https://doomed.example/cb', callback, verifier);
    const me = () => fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${result.access_token}` } });
    expect((await me()).status).toBe(200);
    expect((await as.delete(`/clients/${c.json.client_id}`)).status).toBe(204);
    expect((await me()).status).toBe(401);
    expect((await postForm(server.issuer, '/token/introspection', doomed, { token })).status).toBe(401);
    expect((await as.get(`/clients/${c.json.client_id}`)).status).toBe(404);
    expect((await as.delete(`/clients/${c.json.client_id}`)).status).toBe(404);
  });

  it('refuses to change or delete the console’s own client', async () => {
    for (const r of [
      await as.patch(`/clients/${CONSOLE_CLIENT_ID}`, { client_name: 'mine' }),
      await as.delete(`/clients/${CONSOLE_CLIENT_ID}`),
      await as.post(`/clients/${CONSOLE_CLIENT_ID}/secret`),
    ]) expect(r).toMatchObject({ status: 409, json: { error: 'conflict' } });
  });

  it('never returned a secret again after creation', () => {
    expect(secrets.length).toBeGreaterThan(5);
    const later = api.seen();
    // Each secret appears exactly once in all responses: the one that created it.
    for (const s of secrets) expect(later.split(s).length - 1).toBe(1);
  });
});
