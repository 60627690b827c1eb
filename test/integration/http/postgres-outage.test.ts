// A real PostgreSQL outage: the server process is stopped under a running
// Gatehouse. /readyz says 503, protocol endpoints answer 503
// temporarily_unavailable quickly (no hangs), and both recover on restart.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres.js';
import { freePort, startTestServer, type TestServer } from '../../helpers/server.js';
import { postForm, type TestClient } from '../../helpers/token-client.js';

describe('PostgreSQL outage', () => {
  let pg: PrivatePostgres;
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    pg = createPrivatePostgres(await freePort());
    server = await startTestServer({ DATABASE_URL: pg.url, GATEHOUSE_SECRET: randomBytes(32).toString('hex'), NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp' });
    const c = await server.services.clients.create({ name: 'svc', redirectUris: [], grantTypes: ['client_credentials'] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
  }, 120_000);
  afterAll(async () => {
    await server?.stop().catch(() => {});
    pg?.destroy();
  });

  it('reports unavailable while the server is down and recovers when it returns', async () => {
    const token = () => postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' });
    expect((await token()).status).toBe(200);
    pg.stop();
    const started = Date.now();
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(503);
    const down = await token();
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ error: 'temporarily_unavailable' });
    expect(Date.now() - started).toBeLessThan(15_000);
    pg.start();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await fetch(`${server.issuer}/readyz`)).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(200);
    expect((await token()).status).toBe(200);
  }, 120_000);
});
