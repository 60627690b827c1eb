// Operability: liveness, readiness, metrics, request ids and JSON logs without
// secrets, and behaviour while the database is unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../../src/config.js';
import { compose, startServer, type Running, type Composition as Services } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { freePort } from '../../helpers/server.js';
import { postForm } from '../../helpers/token-client.js';

describe('operability', () => {
  let store: TestStore;
  let services: Services;
  let running: Running;
  let issuer: string;
  const lines: string[] = [];
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const config = loadConfig({ ...store.env, PORT: String(port), ISSUER: issuer, METRICS_TOKEN: 'metrics-token-0123456789' });
    services = await compose(config, createLogger('info', { write: (l: string) => void lines.push(l) }));
    running = await startServer(services);
    const c = await services.stores.clients.create({ name: 'svc', redirectUris: [], grantTypes: ['client_credentials'] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await running?.stop();
    await store?.dispose();
  });

  it('answers liveness and readiness', async () => {
    expect(await (await fetch(`${issuer}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics behind the metrics token', async () => {
    const t = await postForm(issuer, '/token', client, { grant_type: 'client_credentials' });
    expect(t.status).toBe(200);
    expect((await fetch(`${issuer}/metrics`)).status).toBe(401);
    const res = await fetch(`${issuer}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    const text = await res.text();
    expect(text).toMatch(/gatehouse_tokens_issued_total\{grant_type="client_credentials"\} 1/);
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_count\{method="POST",route="\/token",status="200"\} 1/);
    expect(text).toMatch(/gatehouse_security_events_total\{type="token.issued",outcome="success"\}/);
  });

  it('tags every response and log line with a request id, and never logs secrets', async () => {
    const res = await fetch(`${issuer}/healthz`, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    expect((await fetch(`${issuer}/healthz`, { headers: { 'x-request-id': 'bad id\twith junk' } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await postForm(issuer, '/token?code=should-not-be-logged', client, { grant_type: 'client_credentials' });
    await new Promise((r) => setTimeout(r, 200));
    const logs = lines.map((l) => JSON.parse(l));
    expect(logs.find((l) => l.requestId === 'trace-abc-123')).toMatchObject({ msg: 'request', path: '/healthz', status: 200 });
    const all = lines.join('\n');
    expect(all).not.toContain(client.clientSecret);
    expect(all).not.toContain('should-not-be-logged');
  });

  it('reports not ready and answers 503 temporarily_unavailable while the database is unreachable, then recovers', async () => {
    const dbName = new URL(store.env.DATABASE_URL!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
      const started = Date.now();
      expect((await fetch(`${issuer}/readyz`)).status).toBe(503);
      const token = await postForm(issuer, '/token', client, { grant_type: 'client_credentials' });
      expect(token.status).toBe(503);
      expect(token.json.error).toBe('temporarily_unavailable');
      expect(token.headers.get('retry-after')).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(10_000); // errors, not hangs
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect((await fetch(`${issuer}/readyz`)).status).toBe(200);
    expect((await postForm(issuer, '/token', client, { grant_type: 'client_credentials' })).status).toBe(200);
  });
});
