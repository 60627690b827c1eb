// Step-up over HTTP (OpenID Connect Core §3.1.2.1; RFC 9470 for the idea):
// a password-only SSO session meets a client that requires MFA, or a
// request asking the MFA acr; only the second factor is asked, prompt=none
// cannot do it silently, and prompt=login still asks the password first.
import { beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';
import { ACR_MFA } from '../../../src/mfa/mfa-policy.js';

const REDIRECT = 'https://rp.example/cb';
const codeAt = (secret: string, ms: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

describe('step-up on an existing session', () => {
  const server = useServer({ backend: 'postgres' });
  let plain: string;
  let strict: string;
  let n = 0;

  /** A browser signed in with the password only; the user then sets up an authenticator. */
  async function passwordSession() {
    const u = await createUser(server, { email: `step${++n}@example.com`, password: 'correct horse battery staple' });
    const w = new SignInWalker(server.issuer, plain, REDIRECT);
    await w.start();
    expect((await w.submit('/login', { email: u.email, password: u.password })).callback).not.toBeNull();
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    const f = await server.services.stores.factors.addTotp(u.id, 'phone', secret);
    await server.services.stores.factors.acceptTotpStep(u.id, f.id, 1);
    return { u, w, secret };
  }
  const asWalker = (w: SignInWalker, clientId: string) => new SignInWalker(server.issuer, clientId, REDIRECT, w.jar);

  beforeAll(async () => {
    plain = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
    strict = (await createWebClient(server, REDIRECT, { firstParty: true, extra: { require_mfa: true } })).clientId;
  });

  it('asks a require_mfa client\'s user only for the second factor', async () => {
    const { w, secret } = await passwordSession();
    const s = asWalker(w, strict);
    const page = await s.start();
    expect(page.url.pathname).toMatch(/\/mfa$/);
    expect(page.html).not.toContain('name="password"');
    const done = await s.submit('/mfa/totp', { code: codeAt(secret, Date.now()) });
    expect(done.callback?.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    // The session now has the MFA acr: no page at all the next time.
    expect((await asWalker(s, strict).start()).callback).not.toBeNull();
  });

  it('does not step up silently: prompt=none with acr_values for MFA answers login_required', async () => {
    const { w } = await passwordSession();
    const done = await asWalker(w, plain).start({ prompt: 'none', acr_values: ACR_MFA });
    expect(done.callback?.searchParams.get('error')).toBe('login_required');
  });

  it('asks the password first when prompt=login comes with acr_values for MFA', async () => {
    const { u, w, secret } = await passwordSession();
    const s = asWalker(w, plain);
    const page = await s.start({ prompt: 'login', acr_values: ACR_MFA });
    expect(page.html).toContain('name="password"');
    const second = await s.submit('/login', { email: u.email, password: u.password });
    expect(second.url.pathname).toMatch(/\/mfa$/);
    expect((await s.submit('/mfa/totp', { code: codeAt(secret, Date.now()) })).callback).not.toBeNull();
  });
});
