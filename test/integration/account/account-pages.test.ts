// The account pages over plain HTTP: sign-in through Gatehouse's own client
// (code flow + PKCE, max_age), CSRF on every change, the "confirm it's you"
// rule for stale sign-ins, no open redirect, and the account client managed
// by Gatehouse itself (the admin API refuses to edit it).
import { describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createUser } from '../../helpers/builders.js';
import { httpBrowser, type HttpBrowser } from '../../helpers/account-http.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';
import { createFactorChanges } from '../../../src/account/factor-changes.js';
import * as OTPAuth from 'otpauth';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const totpCode = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET) }).generate();
type Who = { email: string; password: string };

type Browser = HttpBrowser;
const browser = httpBrowser;

/** Follows redirects from `path`, filling in the login form and the authenticator code (SECRET); returns the page it ends on. */
async function visit(b: Browser, path: string, who?: Who, seen: string[] = []) {
  let next = path;
  for (let hop = 0; hop < 20; hop++) {
    const page = await b.get(next);
    if (page.location) {
      next = new URL(page.location, page.url).href;
      continue;
    }
    const action = /<form[^>]*action="([^"]*\/(login|mfa\/totp))"/.exec(page.html);
    if (!action) return { ...page, seen };
    const step = action[2] === 'login' ? 'login' : 'totp';
    seen.push(step);
    if (!who) throw new Error('login form shown, no credentials given');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const form: Record<string, string> = step === 'login' ? { email: who.email, password: who.password } : { code: totpCode() };
    const res = await b.post(new URL(action[1]!, page.url).href, { _csrf: csrf, ...form });
    next = new URL(res.headers.get('location')!, page.url).href;
  }
  throw new Error('too many redirects');
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('account pages over HTTP', () => {
  const server = useServer({ backend: 'postgres', env: { ACCOUNT_REAUTH_SECONDS: '2' } });
  /** A confirmed authenticator app with SECRET, last used ten steps ago (so a sign-in code now is no replay). */
  const addAuthenticator = async (userId: string, name: string) => {
    const f = await server.services.stores.factors.addTotp(userId, name, SECRET);
    await server.services.stores.factors.acceptTotpStep(userId, f.id, Math.floor(Date.now() / 30_000) - 10);
    return f;
  };

  it('redirects a visitor without a session to /auth as the gatehouse-account client, with PKCE and max_age', async () => {
    const page = await browser(server).get('/account/security');
    expect(page.status).toBe(302);
    const auth = new URL(page.location!);
    expect(auth.pathname).toBe('/auth');
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({
      client_id: 'gatehouse-account', response_type: 'code', scope: 'openid', code_challenge_method: 'S256',
      redirect_uri: `${server.issuer}/account/callback`, max_age: String(12 * 3600),
    });
    // A form post without a session is sent to sign in, not executed.
    const post = await browser(server).post('/account/security/recovery-codes', { _csrf: 'x' });
    expect(post.status).toBe(303);
  });

  it('refuses a change without a valid CSRF token', async () => {
    const user = await createUser(server, { email: 'csrf@example.com', password: 'csrf-password-1' });
    const b = browser(server);
    await visit(b, '/account/security', user);
    const factor = await addAuthenticator(user.id, 'Key');
    const page = await visit(b, '/account/security');
    expect(page.html).toContain('Key');
    for (const form of [{ name: 'Stolen' }, { name: 'Stolen', _csrf: 'forged' }] as Record<string, string>[]) {
      expect((await b.post(`/account/security/factors/${factor.id}/rename`, form)).status).toBe(403);
    }
    // Another session's token does not work either: tokens are bound to the session.
    const other = await visit(browser(server), '/account/security', user);
    expect(other.seen).toEqual(['login', 'totp']);
    expect((await b.post(`/account/security/factors/${factor.id}/remove`, { _csrf: csrfOf(other.html) })).status).toBe(403);
    expect((await server.services.stores.factors.list(user.id)).map((f) => f.name)).toEqual(['Key']);
    expect((await b.post(`/account/security/factors/${factor.id}/rename`, { _csrf: csrfOf(page.html), name: 'Mine' })).status).toBe(303);
    expect((await server.services.stores.factors.list(user.id)).map((f) => f.name)).toEqual(['Mine']);
  });

  it('asks a user whose sign-in is older than ACCOUNT_REAUTH_SECONDS to confirm it is them before a change', async () => {
    const user = await createUser(server, { email: 'stale@example.com', password: 'stale-password-1' });
    const b = browser(server);
    await visit(b, '/account/security', user);
    const factor = await addAuthenticator(user.id, 'Old name');
    const page = await visit(b, '/account/security');
    // auth_time has whole seconds: 3.2 s is surely more than 2.
    await new Promise((r) => setTimeout(r, 3_200));
    const stale = await b.post(`/account/security/factors/${factor.id}/rename`, { _csrf: csrfOf(page.html), name: 'New name' });
    expect([stale.status, stale.headers.get('location')]).toEqual([403, null]);
    expect(await stale.text()).toMatch(/Confirm it’s you[\s\S]*href="\/account\/login\?fresh=1/);
    expect((await server.services.stores.factors.list(user.id))[0]!.name).toBe('Old name');
    // The page itself still shows the factors, with the note instead of the buttons.
    const view = await visit(b, '/account/security');
    expect(view.html).toContain('first confirm it’s you');
    expect(view.html).not.toContain('Generate new codes');
    // Confirming asks for the password and the second factor again (max_age), then the change goes through.
    const confirmed = await visit(b, '/account/login?fresh=1&return_to=/account/security', user);
    expect(confirmed.seen).toEqual(['login', 'totp']);
    expect(confirmed.url.pathname).toBe('/account/security');
    const ok = await b.post(`/account/security/factors/${factor.id}/rename`, { _csrf: csrfOf(confirmed.html), name: 'New name' });
    expect(ok.status).toBe(303);
    expect((await server.services.stores.factors.list(user.id))[0]!.name).toBe('New name');
  });

  it('never redirects outside /account after sign-in', async () => {
    const user = await createUser(server, { email: 'redirect@example.com', password: 'redirect-password-1' });
    for (const target of ['https://evil.example/', '//evil.example/account', '/admin', '/account/../admin']) {
      const page = await visit(browser(server), `/account/login?return_to=${encodeURIComponent(target)}`, user);
      expect(page.url.href).toBe(`${server.issuer}/account`);
    }
  });

  it('offers adding an authenticator app, except with MFA_POLICY=off', async () => {
    const user = await createUser(server, { email: 'offers@example.com', password: 'offers-password-1' });
    const on = await visit(browser(server), '/account/security', user);
    expect(on.html).toContain('Add an authenticator app');
    const off = await server.startAnother({ MFA_POLICY: 'off' });
    const b = browser(off);
    const page = await visit(b, '/account/security', user);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Two-step verification is turned off');
    expect(page.html).not.toContain('Add an authenticator app');
    expect((await b.post('/account/security/totp', { _csrf: csrfOf(page.html) })).status).toBe(404);
    expect(await server.services.stores.factors.list(user.id, { pending: true })).toEqual([]);
    // Points the account client back at this file's main server (fixture.ts startAnother).
    await off.stop();
  });

  it('answers malformed input with a page or a JSON error, never 5xx, signed in or not', async () => {
    const user = await createUser(server, { email: 'fuzz@example.com', password: 'fuzz-password-1' });
    const signedIn = browser(server);
    const landing = await visit(signedIn, '/account/security', user);
    // Every signed-in account page carries the sign-out form's token.
    expect(`${landing.status} ${landing.url.pathname}`, landing.html.replace(/\s+/g, ' ').slice(0, 2000)).toBe('200 /account/security');
    const csrf = csrfOf(landing.html);
    const nasty = ['', '%00', '%zz', '../../etc', 'a'.repeat(5000), '😀', '00000000-0000-0000-0000-000000000000'];
    const paths = (id: string) => ['/account', '/account/security', `/account/callback?code=${id}&state=${id}`, `/account/login?return_to=${id}&fresh=${id}`,
      '/account/logout', '/account/security/totp', `/account/security/totp/${id}`, '/account/security/recovery-codes',
      `/account/security/factors/${id}/rename`, `/account/security/factors/${id}/remove`, '/account/security/passkeys/options', '/account/security/passkeys/verify'];
    for (const b of [browser(server), signedIn]) {
      for (const id of nasty) {
        // Signing out would end the session the second round is about.
        for (const path of paths(encodeURIComponent(id)).filter((p) => b !== signedIn || p !== '/account/logout')) {
          for (const res of [await b.get(path), await b.post(path, { _csrf: csrf, name: id, code: id })]) {
            const text = 'html' in res ? res.html : await res.text();
            expect(res.status, `${path} -> ${res.status}`).toBeLessThan(500);
            expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|TypeError|PrismaClient/);
          }
        }
      }
    }
    // Still signed in after all that: the session survived the second round.
    expect((await signedIn.get('/account/security')).status).toBe(200);
  });

  it('is a system client: the admin API refuses to change or delete it', async () => {
    const as = createApi(server).as(await adminToken(server));
    expect((await as.get('/clients/gatehouse-account')).json).toMatchObject({ client_id: 'gatehouse-account', grant_types: ['authorization_code'] });
    for (const r of [await as.patch('/clients/gatehouse-account', { client_name: 'mine' }), await as.delete('/clients/gatehouse-account')]) {
      expect(r.status).toBe(409);
    }
  });

  it('removing the last factor drops the recovery codes with it; under MFA_POLICY=required it is refused', async () => {
    const { stores } = server.services;
    const user = await createUser(server, { email: 'last@example.com', password: 'last-password-1' });
    const key = { credentialId: 'bGFzdC1rZXk', publicKey: 'cGs', signCount: 0, transports: [], deviceType: 'singleDevice' as const, backedUp: false, aaguid: null };
    const only = await stores.factors.addPasskey(user.id, 'Only', key);
    const codes = () => ['aaaaa-bbbbb', 'ccccc-ddddd'];
    const who = { userId: user.id, ip: '127.0.0.1' };
    const required = createFactorChanges({ ...stores, mfaMode: 'required', generateRecoveryCodes: codes });
    expect(await required.remove(who, only.id)).toEqual({ ok: false, reason: 'required' });
    const optional = createFactorChanges({ ...stores, mfaMode: 'optional', generateRecoveryCodes: codes });
    expect(await optional.regenerateRecoveryCodes(who)).toEqual(codes());
    expect(await optional.remove(who, only.id)).toMatchObject({ ok: true });
    expect(await stores.recoveryCodes.remaining(user.id)).toBe(0);
    expect((await stores.recoveryCodes.use(user.id, 'aaaaa-bbbbb')).ok).toBe(false);
    // Nothing to recover without a factor: no codes are made.
    expect(await optional.regenerateRecoveryCodes(who)).toBeNull();
    const [removed] = await stores.auditLog.list('mfa.passkey.remove', 1);
    expect(removed).toMatchObject({ subject: user.id, details: { factor_id: only.id, self: true, recovery_codes_removed: 2 } });
  });
});
