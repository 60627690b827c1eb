// /admin/api/users: every route, validation (400 naming fields), conflicts,
// and the effect of disable / password reset on sessions and tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, refresh, type TestClient } from '../../helpers/token-client.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';

const REDIRECT = 'https://rp.example/cb';

describe('admin API: users', () => {
  let store: TestStore;
  let server: TestServer;
  let api: ReturnType<typeof createApi>;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  let rp: TestClient;

  const signIn = async (email: string, password: string) => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: rp.clientId, redirectUri: REDIRECT, email, password, scope: 'openid offline_access', extra: { prompt: 'consent' },
    });
    return (await exchangeCode(server.issuer, rp, REDIRECT, callback, verifier)).result;
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    api = createApi(server);
    as = api.as(await adminToken(server));
    const c = await server.services.stores.clients.create({ name: 'RP', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    rp = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('creates a user (201, Location) and never echoes the password', async () => {
    const r = await as.post('/users', { email: 'Grace@Example.com', password: 'hopper-hopper', name: 'Grace Hopper', roles: ['support'] });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/admin/api/users/${r.json.id}`);
    expect(r.json).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper', roles: ['support'], disabled: false, email_verified: false });
    expect(r.text).not.toContain('hopper-hopper');
    expect(r.text).not.toMatch(/hash/i);
  });

  it('rejects invalid users with 400 naming the fields, duplicates with 409', async () => {
    const bad = await as.post('/users', { email: 'not-an-email', password: 'short', roles: ['Bad Role'], is_admin: true });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad).sort()).toEqual(['email', 'is_admin', 'password', 'roles.0']);
    const dup = await as.post('/users', { email: 'grace@example.com', password: 'another-password' });
    expect(dup).toMatchObject({ status: 409, json: { error: 'conflict' } });
  });

  it('lists, searches by email and pages', async () => {
    for (const n of ['ann', 'bob', 'cat']) await as.post('/users', { email: `${n}@corp.example`, password: 'password-123' });
    const all = await as.get('/users');
    expect(all.json.total).toBeGreaterThanOrEqual(4);
    const corp = await as.get('/users?q=CORP.example&limit=2');
    expect(corp.json).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(corp.json.items.map((u: { email: string }) => u.email)).toEqual(['ann@corp.example', 'bob@corp.example']);
    const next = await as.get('/users?q=corp.example&limit=2&offset=2');
    expect(next.json.items.map((u: { email: string }) => u.email)).toEqual(['cat@corp.example']);
    expect(fieldsOf(await as.get('/users?limit=1000'))).toEqual(['limit']);
  });

  it('gets a user, 404 for unknown and malformed ids', async () => {
    const grace = (await as.get('/users?q=grace')).json.items[0];
    expect(await as.get(`/users/${grace.id}`)).toMatchObject({ status: 200, json: { email: 'grace@example.com' } });
    expect((await as.get('/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await as.get('/users/not-a-uuid')).status).toBe(404);
  });

  it('updates a user (PATCH) with validation and duplicate checks', async () => {
    const grace = (await as.get('/users?q=grace')).json.items[0];
    const r = await as.patch(`/users/${grace.id}`, { name: null, given_name: 'Grace', roles: ['support', 'auditor'], email_verified: true });
    expect(r.json).toMatchObject({ name: null, given_name: 'Grace', roles: ['support', 'auditor'], email_verified: true });
    expect(fieldsOf(await as.patch(`/users/${grace.id}`, { password: 'sneaky-password', email: 'x' })).sort()).toEqual(['email', 'password']);
    expect((await as.patch(`/users/${grace.id}`, { email: 'ann@corp.example' })).status).toBe(409);
    expect((await as.patch('/users/00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
  });

  it('disables a user: sign-in refused, sessions ended, refresh tokens dead; enable restores sign-in', async () => {
    await as.post('/users', { email: 'dis@example.com', password: 'disable-me-1' });
    const id = (await as.get('/users?q=dis@')).json.items[0].id as string;
    const tokens = await signIn('dis@example.com', 'disable-me-1');
    expect((await as.get(`/users/${id}/sessions`)).json.items).toHaveLength(1);
    const r = await as.post(`/users/${id}/disable`);
    expect(r).toMatchObject({ status: 200, json: { disabled: true } });
    expect(await server.services.stores.users.authenticate('dis@example.com', 'disable-me-1')).toBeNull();
    expect((await as.get(`/users/${id}/sessions`)).json.items).toHaveLength(0);
    expect((await refresh(server.issuer, rp, tokens.refresh_token!)).json.error).toBe('invalid_grant');
    expect((await as.post(`/users/${id}/enable`)).json.disabled).toBe(false);
    expect(await server.services.stores.users.authenticate('dis@example.com', 'disable-me-1')).not.toBeNull();
    expect((await as.post('/users/00000000-0000-4000-8000-000000000000/disable')).status).toBe(404);
  });

  it('resets a password (given or generated, shown once) and ends sessions', async () => {
    await as.post('/users', { email: 'pw@example.com', password: 'old-password-1' });
    const id = (await as.get('/users?q=pw@')).json.items[0].id as string;
    const tokens = await signIn('pw@example.com', 'old-password-1');
    const given = await as.post(`/users/${id}/password`, { password: 'new-password-2' });
    expect(given.status).toBe(200);
    expect(given.json).toMatchObject({ sessions_ended: 1, user: { email: 'pw@example.com' } });
    expect(given.json).not.toHaveProperty('password');
    expect(given.text).not.toContain('new-password-2');
    expect(await server.services.stores.users.authenticate('pw@example.com', 'old-password-1')).toBeNull();
    expect((await refresh(server.issuer, rp, tokens.refresh_token!)).json.error).toBe('invalid_grant');
    const generated = await as.post(`/users/${id}/password`);
    expect(generated.json.password).toMatch(/^[\w-]{20,}$/);
    expect(await server.services.stores.users.authenticate('pw@example.com', generated.json.password)).not.toBeNull();
    expect(fieldsOf(await as.post(`/users/${id}/password`, { password: 'short' }))).toEqual(['password']);
    expect((await as.post('/users/00000000-0000-4000-8000-000000000000/password')).status).toBe(404);
  });
});
