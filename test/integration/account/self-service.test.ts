// The account page's profile, password, sessions and apps over plain HTTP
// (issue 15): sign-in and CSRF on every change, malformed input answered
// with a page (never a 5xx), the email change through a real SMTP server
// (the link's GET spends nothing; an address in use gets the same answer),
// the password change's rules, and the audit rows.
import { afterAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createUser } from '../../helpers/builders.js';
import { csrfOf, httpBrowser, visit } from '../../helpers/account-http.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';

let smtp: TestSmtp;
const env: Record<string, string> = {};

describe('account self-service over HTTP', () => {
  const server = useServer({ backend: 'postgres', env, prepare: async () => {
    smtp = await startSmtp();
    env.SMTP_URL = smtp.url;
  } });
  afterAll(() => smtp?.close());
  const latest = async (type: string) => (await server.services.stores.auditLog.list(type, 1))[0];

  it('sends visitors without a session to sign in, for every page and form', async () => {
    const b = httpBrowser(server);
    for (const path of ['/account', '/account/password', '/account/sessions', '/account/apps', '/account/email/confirm?token=x']) {
      const page = await b.get(path);
      expect([path, page.status, new URL(page.location!).pathname]).toEqual([path, 302, '/auth']);
    }
    for (const path of ['/account/profile/name', '/account/profile/email', '/account/password', '/account/sessions/x/revoke', '/account/sessions/others/revoke', '/account/apps/x/remove', '/account/email/confirm']) {
      expect((await b.post(path, { _csrf: 'x', name: 'Mallory' })).status).toBe(303);
    }
  });

  it('refuses every change without the session’s CSRF token, and answers malformed input with a page', async () => {
    const user = await createUser(server, { email: 'forms@example.com', password: 'forms-password-1', name: 'Forms' });
    const b = httpBrowser(server);
    const page = await visit(b, '/account', user);
    expect(page.status).toBe(200);
    const posts: [string, Record<string, string>][] = [
      ['/account/profile/name', { name: 'Mallory' }], ['/account/profile/email', { email: 'm@example.com' }],
      ['/account/password', { current_password: 'forms-password-1', new_password: 'x'.repeat(20), confirm_password: 'x'.repeat(20) }],
      ['/account/sessions/others/revoke', {}], ['/account/apps/x/remove', {}], ['/account/email/confirm', { token: 'x' }],
    ];
    for (const [path, form] of posts) {
      for (const csrf of [{}, { _csrf: 'forged' }] as Record<string, string>[]) expect([path, (await b.post(path, { ...form, ...csrf })).status]).toEqual([path, 403]);
    }
    expect((await server.services.stores.users.findById(user.id))!.name).toBe('Forms');
    const csrf = csrfOf(page.html);
    const bad: [string, Record<string, string>, number][] = [
      ['/account/profile/name', { name: 'n'.repeat(201) }, 400], ['/account/profile/email', { email: 'not an address' }, 400],
      ['/account/profile/email', { email: `${'a'.repeat(330)}@example.com` }, 400], ['/account/password', { new_password: 'abc' }, 400],
      ['/account/password', { current_password: 'forms-password-1', new_password: 'a', confirm_password: 'b' }, 400],
      ['/account/sessions/nope/revoke', {}, 404], ['/account/apps/nope/remove', {}, 404], ['/account/apps/gatehouse-account/remove', {}, 404],
      ['/account/email/confirm', { token: 'garbage' }, 400], ['/account/email/confirm', {}, 400],
    ];
    for (const [path, form, status] of bad) {
      const res = await b.post(path, { _csrf: csrf, ...form });
      expect([path, res.status]).toEqual([path, status]);
      expect(await res.text()).toMatch(/role="alert"|card-title/);
    }
    expect((await b.get('/account/email/confirm?token=x.y')).status).toBe(400);
  });

  it('saves the name and audits it', async () => {
    const user = await createUser(server, { email: 'name@example.com', password: 'name-password-1' });
    const b = httpBrowser(server);
    const page = await visit(b, '/account', user);
    const res = await b.post('/account/profile/name', { _csrf: csrfOf(page.html), given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/account?notice=name_saved']);
    expect(await server.services.stores.users.findById(user.id)).toMatchObject({ givenName: 'Ada', familyName: 'Lovelace', name: 'Ada Lovelace' });
    expect((await visit(b, '/account?notice=name_saved')).html).toContain('Your name was saved.');
    expect(await latest('account.profile_update')).toMatchObject({ subject: user.id, outcome: 'success', details: { fields: ['name', 'givenName', 'familyName'], self: true } });
  });

  it('changes the email only through the link sent to the new address; an address in use gets the same answer', async () => {
    const user = await createUser(server, { email: 'old@example.com', password: 'email-password-1' });
    await createUser(server, { email: 'taken@example.com', password: 'taken-password-1' });
    const b = httpBrowser(server);
    const csrf = csrfOf((await visit(b, '/account', user)).html);
    const taken = await b.post('/account/profile/email', { _csrf: csrf, email: 'Taken@example.com' });
    const fresh = await b.post('/account/profile/email', { _csrf: csrf, email: 'new@example.com' });
    expect([taken.status, taken.headers.get('location')]).toEqual([fresh.status, fresh.headers.get('location')]);
    const [mail] = await smtp.waitFor('new@example.com');
    // The address in use gets a notice, never a link; its account keeps its address.
    const [inUse] = await smtp.waitFor('taken@example.com');
    expect([inUse!.subject, inUse!.links.filter((l) => l.includes('/account/email/confirm'))]).toEqual(['Someone tried to use your email address', []]);
    expect((await server.services.stores.users.findByEmail('taken@example.com'))).not.toBeNull();
    const link = /https?:\/\/\S+\/account\/email\/confirm\?token=[\w.%-]+/.exec(mail!.text)![0];
    // Following the link (a scanner's GET, twice) spends nothing.
    for (let i = 0; i < 2; i++) expect((await b.get(new URL(link).pathname + new URL(link).search)).html).toContain('new@example.com');
    expect((await server.services.stores.users.findById(user.id))!.email).toBe('old@example.com');
    const confirm = await b.get(new URL(link).pathname + new URL(link).search);
    const token = /name="token" value="([^"]+)"/.exec(confirm.html)![1]!;
    const done = await b.post('/account/email/confirm', { _csrf: csrfOf(confirm.html), token });
    expect(done.headers.get('location')).toBe('/account?notice=email_changed');
    expect(await server.services.stores.users.findById(user.id)).toMatchObject({ email: 'new@example.com', emailVerified: true });
    expect((await smtp.waitFor('old@example.com'))[0]!.text).toContain('new@example.com');
    expect((await b.post('/account/email/confirm', { _csrf: csrfOf(confirm.html), token })).status).toBe(400); // once only
    expect(await latest('account.email_change')).toMatchObject({ subject: user.id, outcome: 'success' });
    expect(JSON.stringify((await server.services.stores.auditLog.list(undefined, 20)).map((e) => e.details))).not.toContain(token.slice(0, 20));
  });

  it('changes the password only with the current one, refuses a common one, and signs out the other sessions', async () => {
    const user = await createUser(server, { email: 'pw@example.com', password: 'pw-password-old-1' });
    const other = httpBrowser(server);
    await visit(other, '/account', user);
    expect(await server.services.stores.grants.sessionsFor(user.id)).toHaveLength(1);
    const b = httpBrowser(server);
    const csrf = csrfOf((await visit(b, '/account/password', user)).html);
    expect(await server.services.stores.grants.sessionsFor(user.id)).toHaveLength(2);
    const form = (current: string, next: string) => ({ _csrf: csrf, current_password: current, new_password: next, confirm_password: next, sign_out_others: 'on' });
    const wrong = await b.post('/account/password', form('not-my-password', 'a brand new passphrase'));
    expect([wrong.status, await wrong.text()]).toEqual([400, expect.stringContaining('not your current password')]);
    const common = await b.post('/account/password', form('pw-password-old-1', 'password1234'));
    expect([common.status, await common.text()]).toEqual([400, expect.stringContaining('too common')]);
    const ok = await b.post('/account/password', form('pw-password-old-1', 'a brand new passphrase'));
    expect(ok.headers.get('location')).toBe('/account/password?notice=changed&ended=1');
    expect(await server.services.stores.users.authenticate('pw@example.com', 'a brand new passphrase')).not.toBeNull();
    const left = await server.services.stores.grants.sessionsFor(user.id);
    expect(left).toHaveLength(1);
    expect((await visit(b, '/account/sessions')).html).toContain('This browser');
    expect(await latest('password.change')).toMatchObject({ subject: user.id, outcome: 'success', details: { sessions_ended: 1 } });
  });

  it('answers hostile values in every new path and field with a page, never a 5xx', async () => {
    const user = await createUser(server, { email: 'fuzz2@example.com', password: 'fuzz2-password-1' });
    const signedIn = httpBrowser(server);
    const csrf = csrfOf((await visit(signedIn, '/account', user)).html);
    const nasty = ['', '%00', '%zz', '../../etc', 'a'.repeat(5000), '😀', '\u0000x'];
    for (const b of [httpBrowser(server), signedIn]) {
      for (const id of nasty) {
        const v = encodeURIComponent(id);
        for (const path of ['/account', '/account/password', '/account/sessions', '/account/apps', `/account/email/confirm?token=${v}`, `/account/sessions/${v}/revoke`, `/account/apps/${v}/remove`,
          '/account/profile/name', '/account/profile/email', '/account/sessions/others/revoke', '/account/email/confirm']) {
          const form = { _csrf: csrf, name: id, given_name: id, family_name: id, email: id, token: id, current_password: id, new_password: id, confirm_password: id };
          for (const res of [await b.get(path), await b.post(path, form)]) {
            const text = 'html' in res ? res.html : await res.text();
            expect(res.status, `${path} -> ${res.status}`).toBeLessThan(500);
            expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|TypeError|PrismaClient/);
          }
        }
      }
    }
  });

  it('throttles wrong current passwords like sign-in', async () => {
    const user = await createUser(server, { email: 'guess@example.com', password: 'guess-password-1' });
    const b = httpBrowser(server);
    const csrf = csrfOf((await visit(b, '/account/password', user)).html);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await b.post('/account/password', { _csrf: csrf, current_password: `wrong-${i}`, new_password: 'a fine new passphrase', confirm_password: 'a fine new passphrase' })).status);
    }
    expect(statuses).toContain(429);
    // Locked: even the right password is refused until the lock ends.
    const right = await b.post('/account/password', { _csrf: csrf, current_password: 'guess-password-1', new_password: 'a fine new passphrase', confirm_password: 'a fine new passphrase' });
    expect(right.status).toBe(429);
    expect(await latest('password.change')).toMatchObject({ subject: user.id, outcome: 'denied' });
  });

  it('shows every section in French and German (ui_locales), with html lang set', async () => {
    const user = await createUser(server, { email: 'lang@example.com', password: 'lang-password-1' });
    const b = httpBrowser(server);
    await visit(b, '/account', user);
    const want: Record<string, string[]> = {
      fr: ['Votre profil', 'Changer votre mot de passe', 'Où vous êtes connecté', 'Applications connectées'],
      de: ['Ihr Profil', 'Passwort ändern', 'Wo Sie angemeldet sind', 'Verbundene Apps'],
    };
    for (const [lang, headings] of Object.entries(want)) {
      for (const [i, path] of ['/account', '/account/password', '/account/sessions', '/account/apps'].entries()) {
        const page = await b.get(`${path}?ui_locales=${lang}`);
        expect(page.html).toContain(`<html lang="${lang}">`);
        expect(page.html).toContain(headings[i]);
      }
    }
  });
});
