// Token-exchange policies through the admin API and the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';
import { runCli } from '../../../src/cli/index.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const B = 'https://b.example/';

describe('exchange policies (admin API and CLI)', () => {
  let store: TestStore;
  let server: TestServer;
  let api: ReturnType<typeof createApi>;
  let token: string;
  let svc: string;
  let plain: string;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    api = createApi(server);
    token = await adminToken(server);
    await server.services.stores.resources.create({ indicator: B, name: 'B', scopes: ['read'], accessTokenTtl: 300 });
    svc = (await server.services.stores.clients.create({ name: 'svc', redirectUris: [], grantTypes: ['client_credentials', GRANT] })).clientId;
    plain = (await server.services.stores.clients.create({ name: 'plain', redirectUris: [], grantTypes: ['client_credentials'] })).clientId;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('sets, reads and deletes a policy', async () => {
    const path = `/clients/${svc}/exchange-policy`;
    expect((await api.as(token).get(path)).status).toBe(404);
    const put = await api.call('PUT', path, token, { audiences: [B], max_ttl: 120 });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ client_id: svc, audiences: [B], subject_audiences: [], may_impersonate: false, max_ttl: 120, allow_refresh_token_subject: false, allow_id_token_subject: false });
    expect((await api.as(token).get(path)).json).toEqual(put.json);
    expect((await api.as(token).delete(path)).status).toBe(204);
    expect((await api.as(token).get(path)).status).toBe(404);
  });

  it('validates input with field names and checks audiences and grant types', async () => {
    const bad = await api.call('PUT', `/clients/${svc}/exchange-policy`, token, { audiences: ['not a uri'], may_impersonate: 'yes', extra: 1 });
    expect(bad.status).toBe(400);
    const fields = bad.json.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['audiences.0', 'may_impersonate', 'extra']));
    const unknown = await api.call('PUT', `/clients/${svc}/exchange-policy`, token, { audiences: ['https://nope.example/'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.fields).toEqual([{ field: 'audiences.0', message: 'not a registered resource server' }]);
    expect((await api.call('PUT', `/clients/${plain}/exchange-policy`, token, { audiences: [B] })).status).toBe(409);
    expect((await api.call('PUT', '/clients/nope/exchange-policy', token, { audiences: [B] })).status).toBe(404);
    expect((await api.call('PUT', `/clients/${svc}/exchange-policy`, null, { audiences: [B] })).status).toBe(401);
  });

  it('is managed from the CLI with --json', async () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => out.push(t), env: store.env });
      return { code, out: out.join('\n') };
    };
    const set = await run('client', 'exchange-policy', 'set', svc, '--audience', B, '--subject-audience', B, '--impersonation', '--max-ttl', '60', '--json');
    expect(set.out).not.toMatch(/usage/);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ client_id: svc, audiences: [B], subject_audiences: [B], may_impersonate: true, max_ttl: 60 });
    expect(JSON.parse((await run('client', 'exchange-policy', 'show', svc, '--json')).out).max_ttl).toBe(60);
    expect((await run('client', 'exchange-policy', 'delete', svc, '--json')).code).toBe(0);
    expect((await run('client', 'exchange-policy', 'show', svc)).code).toBe(1);
    expect((await run('client', 'exchange-policy', 'set')).code).toBe(2);
  });
});
