// Email verification over HTTP with a real SMTP server: resend answers the
// same for any address and is limited per address (3 mails an hour, then
// silently nothing) and per IP (429 with Retry-After); forged links and
// forms without the CSRF token are refused with plain pages; the admin API
// and the CLI send a link (audited); with SMTP unreachable a registration
// keeps the account and answers 503 with a plain page, never a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { useSmtp } from '../../helpers/smtp.js';
import { Jar } from '../../helpers/http-login.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';
import { runCli } from '../../../src/cli/index.js';

const PASSWORD = 'a perfectly fine passphrase';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function page(url: string, jar: Jar, form?: Record<string, string>) {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET', redirect: 'manual', body: form ? new URLSearchParams(form) : undefined,
    headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
  });
  jar.store(res);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** GET /auth, and the interaction URL it redirects to. */
async function startInteraction(issuer: string, clientId: string, jar: Jar, extra: Record<string, string> = {}): Promise<string> {
  const auth = await page(`${issuer}/auth?${new URLSearchParams({ ...extra,
    client_id: clientId, response_type: 'code', redirect_uri: 'http://127.0.0.1:1/cb', scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  })}`, jar);
  return new URL(auth.headers.get('location')!, issuer).href;
}

describe('email verification over HTTP', () => {
  const smtp = useSmtp();
  const server = useServer({ backend: 'postgres', env: { SELF_REGISTRATION: 'true', get SMTP_URL() { return smtp.url; } } });
  const resendPage = async (jar: Jar) => page(`${server.issuer}/email/resend`, jar);
  const resend = async (jar: Jar, email: string) =>
    page(`${server.issuer}/email/resend`, jar, { _csrf: csrfOf((await resendPage(jar)).html), email });

  beforeAll(async () => {
    await server.services.stores.users.create({ email: 'rate@example.com', password: PASSWORD });
  });

  it('answers resend the same for unknown addresses, and sends at most 3 mails an hour to one address', async () => {
    const jar = new Jar();
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await resend(jar, 'rate@example.com');
      expect(r.status).toBe(200);
      bodies.push(r.html.replace(/name="_csrf" value="[^"]+"/, ''));
    }
    const unknown = await resend(jar, 'ghost@example.com');
    expect(unknown.status).toBe(200);
    expect(unknown.html.replace(/name="_csrf" value="[^"]+"/, '').replace('ghost@example.com', 'rate@example.com')).toBe(bodies[0]);
    expect(new Set(bodies).size).toBe(1);
    // The lookup and the mail run after the response (no timing difference).
    await server.services.services.emailVerification.drain();
    await smtp.waitFor('rate@example.com', 3);
    expect(smtp.to('rate@example.com')).toHaveLength(3);
    expect(smtp.to('ghost@example.com')).toHaveLength(0);
    // Each new link voids the previous one: only the last works.
    const links = smtp.to('rate@example.com').map((m) => m.links.find((l) => l.includes('/email/verify'))!);
    expect((await page(links[0]!, jar)).status).toBe(410);
    expect((await page(links[2]!, jar)).status).toBe(200);
  });

  it('answers 429 with Retry-After once one IP made 20 resend requests in an hour', async () => {
    const jar = new Jar();
    let last = await resend(jar, 'nobody@example.com');
    // 5 requests came from this address in the test above.
    for (let i = 0; i < 20 && last.status === 200; i++) last = await resend(jar, `n${i}@example.com`);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.html).toContain('too many requests');
  });

  it('refuses a forged link and a form without its CSRF token, with plain pages', async () => {
    const jar = new Jar();
    const forged = await page(`${server.issuer}/email/verify?token=abc.def`, jar);
    expect(forged.status).toBe(410);
    expect(forged.html).toContain('This link has expired or was already used. Ask for a new one.');
    const noCsrf = await page(`${server.issuer}/email/verify`, jar, { token: 'abc.def' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.html).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers malformed requests with pages, never a 5xx', async () => {
    const jar = new Jar();
    const csrf = csrfOf((await resendPage(jar)).html);
    const requests: Array<[string, Record<string, string> | undefined]> = [
      [`/email/verify?token=a&token=b`, undefined], [`/email/verify?token=${'x'.repeat(5000)}`, undefined], ['/email/verify?continue=../../admin', undefined],
      ['/email/verify', { _csrf: csrf, token: 'a.b', continue: '../../x' }], ['/email/verify', { _csrf: csrf }],
      ['/email/resend', { _csrf: csrf, email: 'x'.repeat(400) }], ['/email/resend', { _csrf: csrf }],
      ['/interaction/not-an-interaction/register', undefined], ['/interaction/not-an-interaction/register/continue', undefined],
      ['/interaction/not-an-interaction/register', { _csrf: 'x', email: 'a@example.com', password: PASSWORD }],
    ];
    for (const [path, form] of requests) {
      const r = await page(`${server.issuer}${path}`, jar, form);
      expect(r.status, path).toBeLessThan(500);
      expect(r.html, path).toMatch(/<html lang=/);
    }
  });

  it('sends a link on an admin request (API and CLI), audited; 409 when verified, 404 when unknown', async () => {
    const u = await server.services.stores.users.create({ email: 'admin-sent@example.com', password: PASSWORD });
    const api = createApi(server).as(await adminToken(server));
    const r = await api.post(`/users/${u.id}/verification-email`);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ sent: true, email: 'admin-sent@example.com' });
    expect(r.text).not.toContain('token');
    const [mail] = await smtp.waitFor('admin-sent@example.com');
    expect(mail!.subject).toMatch(/verify your email/i);
    const [event] = await server.services.stores.auditLog.list('admin.user.send_verification', 1);
    expect(event).toMatchObject({ details: expect.objectContaining({ via: 'api', object_id: u.id }) });

    const out: string[] = [];
    const code = await runCli(['user', 'send-verification', 'admin-sent@example.com'], { out: (t) => out.push(t), err: () => {}, env: server.env });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('sent a verification link to admin-sent@example.com');
    await smtp.waitFor('admin-sent@example.com', 2);
    expect((await server.services.stores.auditLog.list('admin.user.send_verification', 1))[0]).toMatchObject({ details: expect.objectContaining({ via: 'cli' }) });

    await server.services.stores.users.update(u.id, { emailVerified: true });
    expect((await api.post(`/users/${u.id}/verification-email`)).status).toBe(409);
    expect((await api.post('/users/00000000-0000-4000-8000-000000000000/verification-email')).status).toBe(404);
  });

  it('continues the sign-in only in the browser that registered AND opened the link', async () => {
    const c = await server.services.stores.clients.create({ name: 'App', redirectUris: ['http://127.0.0.1:1/cb'], scope: 'openid', firstParty: true });
    const registrant = new Jar();
    const interaction = await startInteraction(server.issuer, c.clientId, registrant);
    const form = await page(`${interaction}/register`, registrant);
    const done = await page(`${interaction}/register`, registrant, { _csrf: csrfOf(form.html), email: 'pat@example.com', name: 'Pat', password: PASSWORD });
    expect(done.html).toContain('Check your email');
    // "send it again" from the check-email page: a second link, the first stops working.
    const again = await page(`${interaction}/register/resend`, registrant, { _csrf: csrfOf(done.html) });
    expect(again.html).toContain('We have sent the message again.');
    const [, second] = await smtp.waitFor('pat@example.com', 2);
    const link = second!.links.find((l) => l.includes('/email/verify'))!;
    expect(new URL(link).searchParams.get('continue')).toBe(new URL(interaction).pathname.split('/')[2]);

    // Another browser verifies: it is told to sign in, and the registrant's
    // browser, lacking the "verified here" marker, is not signed in either.
    const other = new Jar();
    const shown = await page(link, other);
    const verified = await page(`${server.issuer}/email/verify`, other, { _csrf: csrfOf(shown.html), token: new URL(link).searchParams.get('token')!, continue: new URL(link).searchParams.get('continue')! });
    expect(verified.status).toBe(303);
    const elsewhere = await page(new URL(verified.headers.get('location')!, server.issuer).href, other);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.html).toContain('You can now sign in.');
    const registrantTries = await page(`${interaction}/register/continue`, registrant);
    expect(registrantTries.status).toBe(200);
    expect(registrantTries.html).toContain('You can now sign in.');
    expect((await server.services.stores.users.findByEmail('pat@example.com'))!.emailVerified).toBe(true);
  });

  it('registers in the language the application asked for (ui_locales), the mail too', async () => {
    const c = await server.services.stores.clients.create({ name: 'App', redirectUris: ['http://127.0.0.1:1/cb'], scope: 'openid', firstParty: true });
    const jar = new Jar();
    const interaction = await startInteraction(server.issuer, c.clientId, jar, { ui_locales: 'fr-CA fr' });
    const login = await page(interaction, jar);
    expect(login.html).toContain(`href="${new URL(interaction).pathname}/register"`);
    const form = await page(`${interaction}/register`, jar);
    expect(form.html).toContain('<html lang="fr">');
    expect(form.html).toContain('Créer un compte');
    const short = await page(`${interaction}/register`, jar, { _csrf: csrfOf(form.html), email: 'zoe@example.com', name: 'Zoé', password: 'court' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('Le mot de passe doit comporter au moins 8 caractères.');
    await page(`${interaction}/register`, jar, { _csrf: csrfOf(form.html), email: 'zoe@example.com', name: 'Zoé', password: PASSWORD });
    const [mail] = await smtp.waitFor('zoe@example.com');
    expect(mail!.subject).toBe('Vérifiez votre adresse e-mail pour Gatehouse');
    expect(mail!.text).toContain('Bonjour Zoé,');
  });

  it('keeps the account and answers 503 with a plain page when SMTP is unreachable', async () => {
    const down = await server.startAnother({ SMTP_URL: 'smtp://127.0.0.1:1' });
    const c = await down.services.stores.clients.create({ name: 'App', redirectUris: ['http://127.0.0.1:1/cb'], scope: 'openid', firstParty: true });
    const jar = new Jar();
    const interaction = await startInteraction(down.issuer, c.clientId, jar);
    const form = await page(`${interaction}/register`, jar);
    expect(form.status).toBe(200);
    const r = await page(`${interaction}/register`, jar, { _csrf: csrfOf(form.html), email: 'offline@example.com', name: '', password: PASSWORD });
    expect(r.status).toBe(503);
    expect(r.html).toContain('The email could not be sent');
    expect(await down.services.stores.users.findByEmail('offline@example.com')).toMatchObject({ emailVerified: false });
    const [event] = await down.services.stores.auditLog.list('email.verify_sent', 1);
    expect(event).toMatchObject({ outcome: 'failure' });
  });

  it('answers 429 with Retry-After once one IP registered 10 times in an hour (the 11th is refused)', async () => {
    const c = await server.services.stores.clients.create({ name: 'App', redirectUris: ['http://127.0.0.1:1/cb'], scope: 'openid', firstParty: true });
    const jar = new Jar();
    const interaction = await startInteraction(server.issuer, c.clientId, jar);
    const form = await page(`${interaction}/register`, jar);
    const statuses: number[] = [];
    // Three registrations from this IP came before (pat, zoe, and offline on the other instance).
    for (let i = 0; i < 8; i++) {
      const r = await page(`${interaction}/register`, jar, { _csrf: csrfOf(form.html), email: `bulk${i}@example.com`, name: '', password: PASSWORD });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(r.html).toContain('too many requests');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    expect(await server.services.stores.users.findByEmail('bulk7@example.com')).toBeNull();
  });
});
