// Forgot password / reset over HTTP against a real SMTP server: the same page
// for known and unknown addresses, one mail for a known one, the link works
// once, the policy refuses weak passwords, rate limits per address and per
// IP, disabled users get no link, audit events never hold the token.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createClient, createUser } from '../../helpers/builders.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { linkIn, PasswordForms, withoutCsrf } from '../../helpers/password-forms.js';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

describe('password reset', () => {
  const server = useServer({ backend: 'postgres', env: { get SMTP_URL() { return smtp.url; }, TRUST_PROXY: 'true' } as Record<string, string> });
  let ip = 1;
  /** A browser from its own address (per-IP counters do not leak between tests). */
  const browser = () => new PasswordForms(server.issuer, { 'x-forwarded-for': `203.0.113.${ip++}` });
  const events = async (type: string) => {
    await server.services.services.passwordReset.drain();
    await server.services.stores.events.drain();
    return server.services.stores.auditLog.list(type, 500);
  };

  it('answers a known and an unknown address with the same page; only the known one gets a mail', async () => {
    await createUser(server, { email: 'ada@example.com', password: 'old password of ada' });
    const b = browser();
    const known = await b.forgot('ada@example.com');
    const unknown = await b.forgot('nobody@example.com');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(withoutCsrf(unknown.html)).toBe(withoutCsrf(known.html));
    expect(known.html).toContain('If an account exists for this address, we sent a link');
    const [mail] = await smtp.waitFor('ada@example.com');
    expect(mail!.subject).toBe('Reset your password');
    expect(linkIn(mail!.text)).toMatch(new RegExp(`^${server.issuer}/password/reset\\?token=`));
    await server.services.services.passwordReset.drain();
    expect(smtp.to('nobody@example.com')).toEqual([]);
    const requests = await events('password.reset_request');
    expect(requests.map((e) => [e.outcome, e.details])).toEqual(expect.arrayContaining([['success', { known: true }], ['failure', { known: false }]]));
    expect(JSON.stringify(requests.map((e) => e.details))).not.toContain(linkIn(mail!.text).split('token=')[1]);
  });

  it('the link shows the form, refuses a common password, sets a good one once', async () => {
    const user = await createUser(server, { email: 'bea@example.com', password: 'old password of bea' });
    await browser().forgot('bea@example.com');
    const link = linkIn((await smtp.waitFor('bea@example.com'))[0]!.text);
    const b = browser();
    const form = await b.get(link);
    expect(form.status).toBe(200);
    const token = new URL(link).searchParams.get('token')!;
    const weak = await b.post('/password/reset', { _csrf: form.csrf, token, password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.html).toContain('This password is too common and easy to guess.');
    expect((await b.get(link)).status).toBe(200);
    const noCsrf = await b.post('/password/reset', { _csrf: 'forged', token, password: 'a brand new passphrase' });
    expect(noCsrf.status).toBe(403);
    const done = await b.post('/password/reset', { _csrf: form.csrf, token, password: 'a brand new passphrase' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Password changed');
    expect(await server.services.stores.users.authenticate('bea@example.com', 'a brand new passphrase')).not.toBeNull();
    expect(await server.services.stores.users.authenticate('bea@example.com', 'old password of bea')).toBeNull();
    for (const again of [await b.get(link), await b.post('/password/reset', { _csrf: form.csrf, token, password: 'yet another passphrase' })]) {
      expect(again.status).toBe(400);
      expect(again.html).toContain('This link has expired or was already used. Ask for a new one.');
      expect(again.html).toContain('href="/password/forgot"');
    }
    expect((await b.get('/password/reset?token=forged.value')).html).toContain('This link has expired');
    const [notice] = (await smtp.waitFor('bea@example.com', 2)).slice(1);
    expect(notice!.subject).toBe('Your password was changed');
    const reset = (await events('password.reset')).find((e) => e.subject === user.id);
    expect(reset).toMatchObject({ outcome: 'success', details: { sessions_ended: 0 } });
  });

  it('a newer link voids the older one', async () => {
    await createUser(server, { email: 'cy@example.com', password: 'old password of cy' });
    const b = browser();
    await b.forgot('cy@example.com');
    await smtp.waitFor('cy@example.com');
    await b.forgot('cy@example.com');
    const [first, second] = await smtp.waitFor('cy@example.com', 2);
    expect((await b.get(linkIn(first!.text))).status).toBe(400);
    expect((await b.get(linkIn(second!.text))).status).toBe(200);
  });

  it('sends at most 3 mails per address an hour, with the same page beyond', async () => {
    await createUser(server, { email: 'dee@example.com', password: 'old password of dee' });
    const pages = [];
    for (let i = 0; i < 5; i++) pages.push(await browser().forgot('dee@example.com'));
    await server.services.services.passwordReset.drain();
    expect(smtp.to('dee@example.com')).toHaveLength(3);
    expect(new Set(pages.map((p) => `${p.status} ${withoutCsrf(p.html)}`)).size).toBe(1);
    expect((await events('password.reset_denied')).filter((e) => (e.details as { reason: string }).reason === 'address_limit')).toHaveLength(2);
  });

  it('answers 429 with Retry-After beyond 20 requests an hour from one IP', async () => {
    const b = browser();
    for (let i = 0; i < 20; i++) expect((await b.forgot(`probe${i}@example.com`)).status).toBe(200);
    const refused = await b.forgot('probe-last@example.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(refused.html).toContain('Too many password reset requests');
    expect((await browser().forgot('probe-last@example.com')).status).toBe(200);
  });

  it('sends no link to a disabled user', async () => {
    const user = await createUser(server, { email: 'eve@example.com', password: 'old password of eve' });
    await server.services.stores.users.setDisabled(user.id, true);
    expect((await browser().forgot('eve@example.com')).status).toBe(200);
    await server.services.services.passwordReset.drain();
    expect(smtp.to('eve@example.com')).toEqual([]);
    expect((await events('password.reset_request')).find((e) => e.subject === user.id)).toMatchObject({ outcome: 'denied', details: { known: true, reason: 'disabled' } });
  });

  const loginPage = async (issuer: string, clientId: string, extra: Record<string, string> = {}) => {
    const auth = new URL(`${issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://rp.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ...extra,
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const url = new URL(res.headers.get('location')!, issuer);
    return { html: await (await fetch(url, { headers: { cookie } })).text(), cookie, url };
  };

  it('the sign-in forgot page follows the request\'s ui_locales', async () => {
    const { clientId } = await createClient(server, { name: 'rp-fr', redirectUris: ['https://rp.example/cb'], scope: 'openid' });
    const login = await loginPage(server.issuer, clientId, { ui_locales: 'fr' });
    expect(login.html).toMatch(/\/forgot"/);
    const forgot = await fetch(`${login.url.href}/forgot`, { headers: { cookie: login.cookie } });
    const html = await forgot.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Réinitialiser votre mot de passe');
    expect(html).toContain(`href="${login.url.pathname}"`);
  });

  it('with PASSWORD_RESET off: no link on the login page, the pages are 404', async () => {
    const { clientId } = await createClient(server, { name: 'rp', redirectUris: ['https://rp.example/cb'], scope: 'openid' });
    expect((await loginPage(server.issuer, clientId)).html).toMatch(/href="\/interaction\/[\w-]+\/forgot"[^>]*>Forgot password\?</);
    const off = await server.startAnother({ PASSWORD_RESET: 'false' });
    const offPage = (await loginPage(off.issuer, clientId)).html;
    expect(offPage).toContain('Sign in');
    expect(offPage).not.toContain('forgot');
    for (const path of ['/password/forgot', '/password/reset?token=x']) expect((await fetch(`${off.issuer}${path}`)).status).toBe(404);
    expect((await fetch(`${server.issuer}/password/forgot`)).status).toBe(200);
  });
});
