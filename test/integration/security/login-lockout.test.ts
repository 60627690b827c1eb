// Lockout that concurrency cannot beat, and that an attacker cannot turn
// against the account's owner (OWASP device cookies, docs/security.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { LoginForm } from '../../helpers/login-form.js';

const REDIRECT = 'https://rp.example/cb';
const LIMIT = 5;

describe.each(BACKENDS)('login lockout (%s)', (backend) => {
  let store: TestStore;
  let server: TestServer;
  let clientId: string;
  const form = () => new LoginForm(server.issuer, clientId, REDIRECT);
  const logins = async (email: string) =>
    (await server.services.stores.auditLog.list('login', 500)).filter((e) => (e.details as { email?: string }).email === email);

  beforeAll(async () => {
    store = await createTestStore(backend);
    server = await startTestServer({
      ...store.env, LOGIN_MAX_FAILURES_PER_ACCOUNT: String(LIMIT), LOGIN_MAX_FAILURES_PER_IP: '1000',
      LOCKOUT_BASE_SECONDS: '600', LOCKOUT_MAX_SECONDS: '900',
    });
    const c = await server.services.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], grantTypes: ['authorization_code'] });
    clientId = c.clientId;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('checks at most the limit of passwords when 40 wrong ones arrive at once', async () => {
    const email = 'concurrent@example.com';
    await server.services.stores.users.create({ email, password: 'the-right-password' });
    const page = form();
    await page.open();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => page.submit(email, `wrong-${i}`)));
    const events = await logins(email);
    // 'failure' = a password was verified and was wrong; 'denied' = refused before verifying.
    const verified = events.filter((e) => e.outcome === 'failure').length;
    expect(verified).toBeLessThanOrEqual(LIMIT);
    expect(verified).toBeGreaterThan(0);
    expect(events.filter((e) => e.outcome === 'denied').length).toBe(40 - verified);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(40 - LIMIT);
    // And the right password is refused too while the lock lasts.
    expect((await page.submit(email, 'the-right-password')).status).toBe(429);
  });

  it('lets the owner\'s browser (device cookie) sign in while an attacker keeps the account locked', async () => {
    const email = 'victim@example.com';
    const password = 'victims-password';
    await server.services.stores.users.create({ email, password });
    const victim = form();
    await victim.open();
    expect((await victim.submit(email, password)).status).toBe(303);
    const device = victim.deviceCookies();
    expect(device.size).toBeGreaterThan(0);

    const attacker = form();
    await attacker.open();
    for (let i = 0; i < LIMIT - 1; i++) expect((await attacker.submit(email, `guess-${i}`)).status).toBe(200);
    expect((await attacker.submit(email, 'guess-last')).status).toBe(429);
    expect((await attacker.submit(email, password)).status).toBe(429);

    // The owner's browser, with its device cookie, still gets in...
    const back = form().withCookies(device);
    await back.open();
    expect((await back.submit(email, 'a typo')).status).toBe(200);
    expect((await back.submit(email, password)).status).toBe(303);
    // ...without unlocking the account for everyone else.
    const other = form();
    await other.open();
    expect((await other.submit(email, password)).status).toBe(429);
  });

  it('locks a known device on its own counter, and a forged device cookie counts as unknown', async () => {
    const email = 'device-owner@example.com';
    const password = 'owners-password';
    await server.services.stores.users.create({ email, password });
    const first = form();
    await first.open();
    expect((await first.submit(email, password)).status).toBe(303);
    const device = first.deviceCookies();

    const stolen = form().withCookies(device);
    await stolen.open();
    for (let i = 0; i < LIMIT - 1; i++) expect((await stolen.submit(email, `guess-${i}`)).status).toBe(200);
    expect((await stolen.submit(email, 'guess-last')).status).toBe(429);
    expect((await stolen.submit(email, password)).status).toBe(429);

    // The device counter's lock does not touch the shared counter.
    const fresh = form();
    await fresh.open();
    expect((await fresh.submit(email, password)).status).toBe(303);

    // A cookie whose signature does not match is ignored (counted as unknown).
    const forged = new Map([...device].map(([k, v]) => [k, k.endsWith('.sig') ? 'AAAA' : v]));
    const events = await logins(email);
    const tampered = form().withCookies(forged);
    await tampered.open();
    expect((await tampered.submit(email, 'wrong')).status).toBe(200);
    const after = await logins(email);
    expect(after.length).toBe(events.length + 1);
    expect(after.find((e) => !events.some((x) => x.id === e.id))?.details).toMatchObject({ device: 'unknown' });
  });
});
