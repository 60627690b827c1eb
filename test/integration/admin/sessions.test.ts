// /admin/api/users/{id}/sessions: list a user's sessions, end one or all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, refresh, type TestClient } from '../../helpers/token-client.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'sess@example.com', password: 'session-pass-1' };

describe('admin API: sessions', () => {
  let store: TestStore;
  let server: TestServer;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  let rp: TestClient;
  let userId: string;

  const signIn = async () => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: rp.clientId, redirectUri: REDIRECT, ...USER, scope: 'openid offline_access', extra: { prompt: 'consent' },
    });
    return (await exchangeCode(server.issuer, rp, REDIRECT, callback, verifier)).result;
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    as = createApi(server).as(await adminToken(server));
    const c = await server.services.stores.clients.create({ name: 'RP', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    rp = { clientId: c.clientId, clientSecret: c.clientSecret! };
    userId = (await server.services.stores.users.create(USER)).id;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('lists sessions with the clients signed in through them, never the session cookie value', async () => {
    await signIn();
    const r = await as.get(`/users/${userId}/sessions`);
    expect(r.status).toBe(200);
    expect(r.json.items).toHaveLength(1);
    const [s] = r.json.items;
    expect(s).toMatchObject({ id: expect.any(String), clients: [rp.clientId], amr: ['pwd'] });
    expect(Date.parse(s.login_at)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(s.expires_at)).toBeGreaterThan(Date.now());
    const row = await server.services.db.prisma.oidcObject.findFirst({ where: { model: 'Session', uid: s.id } });
    expect(r.text).not.toContain(row!.id);
    expect((await as.get('/users/00000000-0000-4000-8000-000000000000/sessions')).status).toBe(404);
  });

  it('ends one session and revokes the tokens issued in it', async () => {
    const ids = async () => ((await as.get(`/users/${userId}/sessions`)).json.items as { id: string }[]).map((s) => s.id);
    const before = await ids();
    const tokens = await signIn();
    const after = await ids();
    expect(after).toHaveLength(2);
    const newest = after.find((id) => !before.includes(id))!;
    expect((await as.delete(`/users/${userId}/sessions/${newest}`)).status).toBe(204);
    expect((await refresh(server.issuer, rp, tokens.refresh_token!)).json.error).toBe('invalid_grant');
    expect(await ids()).toEqual(before);
    expect(await as.delete(`/users/${userId}/sessions/${newest}`)).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });

  it('ends every session of a user', async () => {
    const tokens = await signIn();
    const r = await as.delete(`/users/${userId}/sessions`);
    expect(r.status).toBe(200);
    expect(r.json.sessions_ended).toBe(2);
    expect((await as.get(`/users/${userId}/sessions`)).json.items).toEqual([]);
    expect((await refresh(server.issuer, rp, tokens.refresh_token!)).json.error).toBe('invalid_grant');
  });
});
