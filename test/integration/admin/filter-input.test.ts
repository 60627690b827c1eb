// Admin API filters with bytes the database cannot take (NUL) answer 400 in
// the admin API's error format, naming the parameter; LIKE wildcards in the
// user search are matched literally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';

describe('admin API: filter input', () => {
  let store: TestStore;
  let server: TestServer;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    as = createApi(server).as(await adminToken(server));
    for (const email of ['under_score@example.com', 'underXscore@example.com', 'per%cent@example.com', 'percent@example.com']) {
      await server.services.stores.users.create({ email, password: 'a-long-password' });
    }
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it.each([
    ['/users?q=%00', 'q'],
    ['/users?q=a%00b', 'q'],
    ['/audit?type=%00', 'type'],
    ['/audit?type=login%01', 'type'],
  ])('GET %s answers 400 naming %s', async (path, field) => {
    const r = await as.get(path);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'invalid_request' });
    expect(fieldsOf(r)).toContain(field);
  });

  it('matches % and _ in the user search literally', async () => {
    const emails = async (q: string) => ((await as.get(`/users?q=${encodeURIComponent(q)}`)).json.items as { email: string }[]).map((u) => u.email).sort();
    expect(await emails('under_score')).toEqual(['under_score@example.com']);
    expect(await emails('per%cent')).toEqual(['per%cent@example.com']);
    expect(await emails('%')).toEqual(['per%cent@example.com']);
    expect(await emails('_')).toEqual(['under_score@example.com']);
    expect(await emails('\\')).toEqual([]);
    expect((await as.get('/users?q=underXscore')).json.total).toBe(1);
  });
});
