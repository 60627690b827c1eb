// First-run setup over HTTP (src/welcome/): the logged URL creates one admin,
// once; forged, reused and late tokens are refused; the token works on
// another instance and a spent token is spent everywhere.
import { describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { httpBrowser, csrfOf } from '../../helpers/account-http.js';
import { captureLog, setupUrls } from '../../helpers/log-lines.js';
import { createSecretBox } from '../../../src/crypto/secret-box.js';
import { createSetupTokens } from '../../../src/welcome/setup-token.js';

const PASSWORD = 'first admin passphrase 7';

describe('first-run setup', () => {
  const log = captureLog();
  const server = useServer({ backend: 'postgres', logger: log.logger });

  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
  async function submit(path: string, token: string, email: string, password = PASSWORD, target: { issuer: string } = server) {
    const b = httpBrowser(target);
    const page = await b.get(path);
    const csrf = page.status === 200 ? csrfOf(page.html) : 'none';
    const res = await b.post('/setup', { _csrf: csrf, token, email, name: 'First Admin', password });
    return { page, res, html: await res.text() };
  }

  it('logs one setup URL on the issuer, and nothing else secret', () => {
    const urls = setupUrls(log);
    expect(urls).toHaveLength(1);
    expect(urls[0]!.startsWith(`${server.issuer}/setup?token=`)).toBe(true);
    const line = log.lines.find((l) => l.setup_url)!;
    expect(Object.keys(line).sort()).toEqual(['expires_in_seconds', 'level', 'msg', 'service', 'setup_url', 'time']);
  });

  it('refuses a forged or tampered token', async () => {
    const b = httpBrowser(server);
    expect((await b.get('/setup?token=forged')).status).toBe(410);
    const token = tokenOf(setupUrls(log)[0]!);
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const forged = await submit(`/setup?token=${encodeURIComponent(token)}`, tampered, 'x@example.com');
    expect(forged.res.status).toBe(410);
    expect(await server.services.stores.users.findByEmail('x@example.com')).toBeNull();
  });

  it('checks the password with the policy and keeps the token for a retry', async () => {
    const token = tokenOf(setupUrls(log)[0]!);
    const weak = await submit(`/setup?token=${encodeURIComponent(token)}`, token, 'admin@example.com', 'password');
    expect(weak.res.status).toBe(400);
    expect(weak.html).toContain('role="alert"');
    expect(await server.services.stores.users.findByEmail('admin@example.com')).toBeNull();
  });

  it('refuses a form without a valid CSRF token', async () => {
    const token = tokenOf(setupUrls(log)[0]!);
    const res = await httpBrowser(server).post('/setup', { _csrf: 'x', token, email: 'admin@example.com', password: PASSWORD });
    expect(res.status).toBe(403);
  });

  it('a token works on another instance; spent once, it is refused everywhere; then setup is done', async () => {
    const token = tokenOf(setupUrls(log)[0]!);
    const other = await server.startAnother({}, captureLog().logger);
    // A second instance started without an admin logs its own URL: both are live until one is spent.
    // A second browser opens the form before the first admin is created, and posts after.
    const late = httpBrowser(server);
    const lateCsrf = csrfOf((await late.get(`/setup?token=${encodeURIComponent(token)}`)).html);
    // The first instance's token, spent on the other one.
    const first = await submit(`/setup?token=${encodeURIComponent(token)}`, token, 'admin@example.com', PASSWORD, other);
    expect(first.res.status).toBe(201);
    const admin = await server.services.stores.users.findByEmail('admin@example.com');
    expect(admin?.roles).toContain('admin');
    expect(admin?.emailVerified).toBe(true);
    await server.services.stores.events.drain();
    const [event] = await server.services.stores.auditLog.list('admin.user.create', 1);
    expect(event!.details).toMatchObject({ via: 'setup', object_id: admin!.id, roles: ['admin'] });
    expect(JSON.stringify(event!.details)).not.toContain(token);
    expect(JSON.stringify(event!.details)).not.toContain(PASSWORD);
    // Reused, on this instance and on the other: setup is done now.
    const again = await httpBrowser(server).get(`/setup?token=${encodeURIComponent(token)}`);
    expect(again.status).toBe(410);
    expect(again.html).toContain('Setup is already done');
    const posted = await late.post('/setup', { _csrf: lateCsrf, token, email: 'second@example.com', password: PASSWORD });
    expect(posted.status).toBe(410);
    expect(await posted.text()).toContain('Setup is already done');
    const elsewhere = await httpBrowser(other).get(`/setup?token=${encodeURIComponent(token)}`);
    expect(elsewhere.status).toBe(410);
    expect(elsewhere.html).toContain('Setup is already done');
    expect(await server.services.stores.users.findByEmail('second@example.com')).toBeNull();
  });

  it('a restart with an admin logs no setup URL', async () => {
    const before = setupUrls(log).length;
    await server.restart();
    expect(setupUrls(log)).toHaveLength(before);
  });

  it('a token spends once (even with no admin), expires, and is bound to its purpose', async () => {
    const throttle = server.services.stores.throttle;
    const box = createSecretBox('a test master secret of enough length', 'first-run-setup');
    const tokens = createSetupTokens({ box, throttle });
    const token = tokens.issue();
    expect(await tokens.valid(token)).toBe(true);
    const spends = await Promise.all([tokens.spend(token), tokens.spend(token)]);
    expect(spends.filter(Boolean)).toHaveLength(1);
    expect(await tokens.spend(token)).toBe(false);
    const later = createSetupTokens({ box, throttle, now: () => Date.now() + 3601_000 });
    expect(await later.valid(tokens.issue())).toBe(false);
    const other = createSetupTokens({ box: createSecretBox('a test master secret of enough length', 'passkey-challenges'), throttle });
    expect(await tokens.valid(other.issue())).toBe(false);
  });
});
