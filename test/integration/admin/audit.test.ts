// /admin/api/audit: read the audit log with paging and filters, verify the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { adminToken, createAdminClient, clientToken, createApi } from '../../helpers/admin-api.js';

describe('admin API: audit log', () => {
  let store: TestStore;
  let server: TestServer;
  let api: ReturnType<typeof createApi>;
  let token: string;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    api = createApi(server);
    token = await adminToken(server);
    for (let i = 0; i < 5; i++) await server.services.events.record({ type: 'login', outcome: 'failure', ip: '10.1.1.1', details: { i } });
    await server.services.events.drain();
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('pages through events newest first, filtered by type', async () => {
    const first = await api.as(token).get('/audit?type=login&limit=3');
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(3);
    expect(first.json.items.map((e: { details: { i: number } }) => e.details.i)).toEqual([4, 3, 2]);
    const next = await api.as(token).get(`/audit?type=login&limit=3&before=${first.json.next_before}`);
    expect(next.json.items.map((e: { details: { i: number } }) => e.details.i)).toEqual([1, 0]);
    expect(next.json.next_before).toBeNull();
    const all = await api.as(token).get('/audit?limit=500');
    expect(all.json.items.some((e: { type: string }) => e.type === 'token.issued')).toBe(true); // the admin token itself
  });

  it('verifies the chain', async () => {
    const r = await api.as(token).get('/audit/verify');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, broken_at: null });
    expect(r.json.checked).toBeGreaterThanOrEqual(5);
  });

  it('rejects bad queries with field names, and callers without the admin scope', async () => {
    const bad = await api.as(token).get('/audit?limit=0&bogus=1');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.fields)).toMatch(/limit|bogus/);
    expect((await api.call('GET', '/audit', null)).status).toBe(401);
    // A client without the admin flag cannot even obtain a token for the admin API.
    const notAdmin = await clientToken(server, await createAdminClient(server, false));
    expect(notAdmin.json.error).toBe('invalid_target');
  });
});
