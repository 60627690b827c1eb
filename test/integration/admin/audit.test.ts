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
    for (let i = 0; i < 5; i++) await server.services.stores.events.record({ type: 'login', outcome: 'failure', ip: '10.1.1.1', details: { i } });
    await server.services.stores.events.drain();
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

  it('reads the head as an anchor and verifies against it', async () => {
    const a = await api.as(token).get('/audit/anchor');
    expect(a.status).toBe(200);
    expect(a.json.anchor).toBe(`${a.json.id}:${a.json.hash}`);
    expect(a.json.hash).toMatch(/^k1\.[0-9a-f]{64}$/);
    const ok = await api.as(token).get(`/audit/verify?anchor=${encodeURIComponent(a.json.anchor)}`);
    expect(ok.json).toMatchObject({ ok: true, broken_at: null, anchor: a.json.anchor });
    // An anchor the chain does not hold (as after its newest events were deleted).
    const gone = `${BigInt(a.json.id) + 1000n}:k1.${'a'.repeat(64)}`;
    const truncated = await api.as(token).get(`/audit/verify?anchor=${encodeURIComponent(gone)}`);
    expect(truncated.status).toBe(200);
    expect(truncated.json).toMatchObject({ ok: false, reason: expect.stringMatching(/no longer contains the anchored event/) });
    const bad = await api.as(token).get('/audit/verify?anchor=12:nothex');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.fields)).toMatch(/anchor/);
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
