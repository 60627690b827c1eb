// Dynamic client registration (RFC 7591) and management (RFC 7592) behind an
// initial access token minted through the admin API; off by default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { postForm } from '../../helpers/token-client.js';
import { adminToken, clientToken, createApi, fieldsOf } from '../../helpers/admin-api.js';

const register = (server: TestServer, token: string | null, body: unknown) =>
  fetch(`${server.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('dynamic client registration, off by default', () => {
  let store: TestStore;
  let server: TestServer;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('serves no registration endpoint and refuses to mint initial access tokens', async () => {
    const discovery = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery.registration_endpoint).toBeUndefined();
    expect((await register(server, null, { redirect_uris: ['https://x.example/cb'] })).status).toBe(404);
    const as = createApi(server).as(await adminToken(server));
    expect(await as.post('/registration-tokens')).toMatchObject({ status: 409, json: { error: 'conflict' } });
  });
});

describe('dynamic client registration, enabled', () => {
  let store: TestStore;
  let server: TestServer;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  const mint = async (body: Record<string, unknown> = {}) => (await as.post('/registration-tokens', body)).json.initial_access_token as string;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer({ ...store.env, DYNAMIC_REGISTRATION: 'true' });
    as = createApi(server).as(await adminToken(server));
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('mints initial access tokens (validated input)', async () => {
    const r = await as.post('/registration-tokens', { expires_in: 600 });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ reusable: false, registration_endpoint: `${server.issuer}/reg` });
    expect(Date.parse(r.json.expires_at) - Date.now()).toBeGreaterThan(590_000);
    expect(fieldsOf(await as.post('/registration-tokens', { expires_in: 5, forever: true })).sort()).toEqual(['expires_in', 'forever']);
  });

  it('requires an initial access token to register', async () => {
    const none = await register(server, null, { redirect_uris: ['https://x.example/cb'] });
    expect(none.status).toBe(401);
    const forged = await register(server, 'forged', { redirect_uris: ['https://x.example/cb'] });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error).toBe('invalid_token');
  });

  it('registers a client into the clients table (secret sealed), once per single-use token', async () => {
    const iat = await mint();
    const res = await register(server, iat, { client_name: 'Dyn', redirect_uris: ['https://dyn.example/cb'], grant_types: ['authorization_code', 'client_credentials'], response_types: ['code'] });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ client_name: 'Dyn', registration_client_uri: `${server.issuer}/reg/${body.client_id}` });
    expect(body.client_secret).toBeTruthy();
    const row = await server.services.db.prisma.client.findUnique({ where: { id: body.client_id } });
    expect(row).toMatchObject({ name: 'Dyn', admin: false, firstParty: false });
    expect(row!.secretEncrypted).not.toContain(body.client_secret);
    expect(JSON.stringify(row!.metadata)).not.toContain(body.client_secret);
    // The registered client works, but can never reach the admin API.
    const creds = { clientId: body.client_id, clientSecret: body.client_secret };
    expect((await postForm(server.issuer, '/token', creds, { grant_type: 'client_credentials' })).status).toBe(200);
    expect((await clientToken(server, creds)).json.error).toBe('invalid_target');
    // Visible to admins, without the secret.
    const viaApi = await as.get(`/clients/${body.client_id}`);
    expect(viaApi.json).toMatchObject({ client_name: 'Dyn', has_secret: true });
    expect(viaApi.text).not.toContain(body.client_secret);
    // Single use: the same token cannot register again.
    expect((await register(server, iat, { redirect_uris: ['https://again.example/cb'] })).status).toBe(401);
  });

  it('manages the registration with the registration access token (RFC 7592)', async () => {
    const body = await (await register(server, await mint({ reusable: true }), { client_name: 'Managed', redirect_uris: ['https://m.example/cb'] })).json();
    const url = body.registration_client_uri as string;
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
    const read = await fetch(url, { headers: auth(body.registration_access_token) });
    expect(read.status).toBe(200);
    const { registration_access_token: _t, registration_client_uri: _u, client_secret_expires_at: _e, client_id_issued_at: _i, ...current } = await read.json();
    const put = await fetch(url, { method: 'PUT', headers: auth(body.registration_access_token), body: JSON.stringify({ ...current, client_name: 'Renamed' }) });
    expect(put.status).toBe(200);
    const updated = await put.json();
    expect((await server.services.stores.clients.get(body.client_id))!.name).toBe('Renamed');
    // The token rotates on update; the new one deletes the client.
    const del = await fetch(url, { method: 'DELETE', headers: auth(updated.registration_access_token) });
    expect(del.status).toBe(204);
    expect(await server.services.stores.clients.get(body.client_id)).toBeNull();
  });
});
