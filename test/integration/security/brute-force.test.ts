// Brute-force defence: per-account and per-IP lockout with progressive
// duration and reset, and 429 + Retry-After on protocol endpoints.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { LoginForm } from '../../helpers/login-form.js';
import { postForm } from '../../helpers/token-client.js';
import { runCli } from '../../../src/cli/index.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'locked@example.com', password: 'the-right-password' };

describe('brute-force defence', () => {
  let store: TestStore;
  let server: TestServer;
  let clientId: string;
  let secret: string;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer({
      ...store.env, LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '12',
      PROTOCOL_MAX_FAILURES_PER_IP: '4', LOCKOUT_BASE_SECONDS: '60', LOCKOUT_MAX_SECONDS: '600',
    });
    await server.services.stores.users.create(USER);
    const c = await server.services.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], grantTypes: ['authorization_code', 'client_credentials'] });
    clientId = c.clientId;
    secret = c.clientSecret!;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });
  afterEach(() => vi.useRealTimers());

  it('locks an account after repeated failures, even for the right password, then unlocks with time', async () => {
    const form = new LoginForm(server.issuer, clientId, REDIRECT);
    await form.open();
    for (let i = 0; i < 2; i++) expect((await form.submit(USER.email, 'wrong')).status).toBe(200);
    const third = await form.submit(USER.email, 'wrong');
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBe(60);
    expect(third.alert).toMatch(/too many failed sign-in attempts/i);
    expect((await form.submit(USER.email, USER.password)).status).toBe(429);
    // Progressive: one more failure while counting doubles the lock.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect((await form.submit(USER.email, 'wrong')).retryAfter).toBe('120');
    vi.setSystemTime(Date.now() + 121_000);
    const ok = await form.submit(USER.email, USER.password);
    expect(ok.status).toBe(303);
    const events = await server.services.stores.auditLog.list('login', 10);
    expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['success', 'failure', 'denied']));
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(USER.password);
  });

  it('resets the account counter after a successful login, and by CLI unlock', async () => {
    const form = new LoginForm(server.issuer, clientId, REDIRECT);
    await form.open();
    expect((await form.submit(USER.email, 'wrong')).status).toBe(200);
    expect((await form.submit(USER.email, 'wrong')).status).toBe(200);
    expect((await form.submit(USER.email, USER.password)).status).toBe(303);
    const again = new LoginForm(server.issuer, clientId, REDIRECT);
    await again.open();
    expect((await again.submit(USER.email, 'wrong')).status).toBe(200);
    expect((await again.submit(USER.email, 'wrong')).status).toBe(200);
    expect((await again.submit(USER.email, 'wrong')).status).toBe(429);
    const out: string[] = [];
    const code = await runCli(['user', 'unlock', '--email', USER.email], { out: (t) => out.push(t), err: () => {}, env: store.env });
    expect(code).toBe(0);
    // The server's cache of the lock expires within a second.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await again.submit(USER.email, USER.password)).status).toBe(303);
  });

  it('locks unknown emails the same way, so lockout does not reveal accounts', async () => {
    const form = new LoginForm(server.issuer, clientId, REDIRECT);
    await form.open();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await form.submit('ghost@example.com', 'wrong')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('locks an IP that keeps failing across many accounts (12 failures from this IP so far)', async () => {
    const form = new LoginForm(server.issuer, clientId, REDIRECT);
    await form.open();
    const fresh = await form.submit('never-tried@example.com', 'wrong');
    expect(fresh.status).toBe(429);
    expect(Number(fresh.retryAfter)).toBeGreaterThan(0);
  });

  it('answers abusive protocol clients with 429 and Retry-After, in OAuth error format', async () => {
    const bad = { clientId, clientSecret: 'not-the-secret' };
    for (let i = 0; i < 4; i++) {
      expect((await postForm(server.issuer, '/token', bad, { grant_type: 'client_credentials' })).status).toBe(401);
    }
    const limited = await postForm(server.issuer, '/token', { clientId, clientSecret: secret }, { grant_type: 'client_credentials' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json).toMatchObject({ error: 'temporarily_unavailable' });
    const introspection = await postForm(server.issuer, '/token/introspection', bad, { token: 'x' });
    expect(introspection.status).toBe(429);
  });
});
