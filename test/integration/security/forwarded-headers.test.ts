// Behind a proxy (TRUST_PROXY=true, TRUST_PROXY_HOPS=1, nginx appending with
// $proxy_add_x_forwarded_for): the client address is the rightmost entry, so a
// client writing its own X-Forwarded-For neither dodges per-IP limits nor
// puts a false address into the audit log. And the /token per-IP limit counts
// failed client authentication, not an authenticated client's invalid_grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { LoginForm } from '../../helpers/login-form.js';
import { basic, type TestClient } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';
const LIMIT = 4;

describe('forwarded headers and per-IP limits', () => {
  let store: TestStore;
  let server: TestServer;
  let client: TestClient;
  // What nginx forwards: whatever the client sent, then the address it saw.
  const via = (real: string, spoofed?: string) => ({ 'x-forwarded-for': spoofed ? `${spoofed}, ${real}` : real });
  const token = async (c: TestClient, form: Record<string, string>, headers: Record<string, string>) => {
    const res = await fetch(`${server.issuer}/token`, {
      method: 'POST', body: new URLSearchParams(form),
      headers: { ...headers, authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { status: res.status, json: (await res.json()) as { error?: string } };
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer({ ...store.env, TRUST_PROXY: 'true', PROTOCOL_MAX_FAILURES_PER_IP: String(LIMIT), LOCKOUT_BASE_SECONDS: '300' });
    const c = await server.services.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('does not let a spoofed leftmost X-Forwarded-For evade the per-IP limit', async () => {
    const bad = { ...client, clientSecret: 'not-the-secret' };
    const statuses = [];
    for (let i = 0; i < LIMIT + 3; i++) {
      statuses.push((await token(bad, { grant_type: 'client_credentials' }, via('203.0.113.7', `198.51.100.${i}`))).status);
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
    // Another real client address is not affected.
    expect((await token(client, { grant_type: 'client_credentials' }, via('203.0.113.8', '203.0.113.7'))).status).toBe(200);
  });

  it('records the address the trusted proxy saw in the audit log, not the client-chosen one', async () => {
    const form = new LoginForm(server.issuer, client.clientId, REDIRECT);
    form.headers = via('203.0.113.9', '6.6.6.6');
    await form.open();
    expect((await form.submit('someone@example.com', 'wrong')).status).toBe(200);
    const [event] = await server.services.stores.auditLog.list('login', 1);
    expect(event?.ip).toBe('203.0.113.9');
  });

  it('does not count invalid_grant from an authenticated client, but counts bad secrets', async () => {
    const nat = via('203.0.113.50');
    for (let i = 0; i < LIMIT * 3; i++) {
      const res = await token(client, { grant_type: 'refresh_token', refresh_token: `lost-race-${i}` }, nat);
      expect(res).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    }
    expect((await token(client, { grant_type: 'client_credentials' }, nat)).status).toBe(200);
    const bad = { ...client, clientSecret: 'guess' };
    for (let i = 0; i < LIMIT; i++) expect((await token(bad, { grant_type: 'client_credentials' }, nat)).status).toBe(401);
    expect((await token(client, { grant_type: 'client_credentials' }, nat)).status).toBe(429);
  });
});
