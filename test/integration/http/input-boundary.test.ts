// NUL and invalid UTF-8 are rejected once, at the input boundary
// (src/http/input-boundary.ts), and each edge answers in its own format:
// problem JSON naming the parameter for the admin API, OAuth invalid_request
// for protocol endpoints, the error page for people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';

describe('input boundary', () => {
  let store: TestStore;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    token = await adminToken(server);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('admin API: 400 problem JSON naming the query parameter or body field', async () => {
    const as = createApi(server).as(token);
    const query = await as.get('/clients?limit=%ff');
    expect(query.status).toBe(400);
    expect(query.headers.get('cache-control')).toBe('no-store');
    expect(query.json).toMatchObject({ error: 'invalid_request' });
    expect(fieldsOf(query)).toEqual(['limit']);
    const body = await as.post('/clients', { name: 'x', redirect_uris: ['https://rp.example/cb\u0000'] });
    expect(body.status).toBe(400);
    expect(fieldsOf(body)).toEqual(['redirect_uris.0']);
    expect((await as.get('/clients')).json.items.some((c: { name: string }) => c.name === 'x')).toBe(false);
  });

  it('admin API: authentication comes first, so a request without credentials learns nothing', async () => {
    const anonymous = await createApi(server).call('GET', '/users?q=%00', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse-admin"');
  });

  it('protocol endpoints: OAuth invalid_request JSON (RFC 6749 §5.2)', async () => {
    const res = await fetch(`${server.issuer}/token?client_id=%00`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('client_id') });
  });

  it('browser pages: the error page, naming the parameter', async () => {
    const res = await fetch(`${server.issuer}/auth?client_id=abc&state=%C3%28`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('invalid_request');
    expect(html).toContain('state');
  });
});
