// Operability: liveness, readiness, metrics, request ids and JSON logs without
// secrets, and behaviour while the database is unreachable.
import { beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';

import { createLogger } from '../../../src/http/logger.js';
import { RETRY_AFTER_SECONDS } from '../../../src/http/availability.js';
import { useServer } from '../../helpers/fixture.js';
import { createServiceClient } from '../../helpers/builders.js';
import { postForm } from '../../helpers/token-client.js';

describe('operability', () => {
  const lines: string[] = [];
  const server = useServer({
    backend: 'postgres', env: { METRICS_TOKEN: 'metrics-token-0123456789' },
    logger: createLogger('info', { write: (l: string) => void lines.push(l) }),
  });
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    client = await createServiceClient(server);
  });

  it('answers liveness and readiness', async () => {
    expect(await (await fetch(`${server.issuer}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics behind the metrics token', async () => {
    const t = await postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' });
    expect(t.status).toBe(200);
    expect((await fetch(`${server.issuer}/metrics`)).status).toBe(401);
    const res = await fetch(`${server.issuer}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    const text = await res.text();
    expect(text).toMatch(/gatehouse_tokens_issued_total\{grant_type="client_credentials"\} 1/);
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_count\{method="POST",route="\/token",status="200"\} 1/);
    expect(text).toMatch(/gatehouse_security_events_total\{type="token.issued",outcome="success"\}/);
  });

  it('tags every response and log line with a request id, and never logs secrets', async () => {
    const res = await fetch(`${server.issuer}/healthz`, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    expect((await fetch(`${server.issuer}/healthz`, { headers: { 'x-request-id': 'bad id\twith junk' } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await postForm(server.issuer, '/token?code=should-not-be-logged', client, { grant_type: 'client_credentials' });
    await new Promise((r) => setTimeout(r, 200));
    const logs = lines.map((l) => JSON.parse(l));
    expect(logs.find((l) => l.requestId === 'trace-abc-123')).toMatchObject({ msg: 'request', path: '/healthz', status: 200 });
    const all = lines.join('\n');
    expect(all).not.toContain(client.clientSecret);
    expect(all).not.toContain('should-not-be-logged');
  });

  it('reports not ready and answers 503 temporarily_unavailable while the database is unreachable, then recovers', async () => {
    const dbName = new URL(server.store.env.DATABASE_URL!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
      const started = Date.now();
      expect((await fetch(`${server.issuer}/readyz`)).status).toBe(503);
      const token = await postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' });
      expect(token.status).toBe(503);
      expect(token.json.error).toBe('temporarily_unavailable');
      expect(token.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
      expect(Date.now() - started).toBeLessThan(10_000); // errors, not hangs
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(200);
    expect((await postForm(server.issuer, '/token', client, { grant_type: 'client_credentials' })).status).toBe(200);
  });
});
