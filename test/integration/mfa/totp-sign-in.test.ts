// The second step over HTTP on a real server: a user with an authenticator
// is asked for a code after the password; a correct code finishes the
// sign-in, a replayed one is refused (RFC 6238 §5.2), and guessing codes
// locks like passwords (429 with Retry-After; a correct code refused while
// locked); of concurrent sign-ins spending one code, exactly one succeeds.
import { beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';

const REDIRECT = 'https://rp.example/cb';
const codeAt = (secret: string, ms: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

describe('TOTP as the second step of sign-in', () => {
  const server = useServer({ backend: 'postgres', env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '5' } });
  let clientId: string;

  /** A user with a confirmed authenticator; returns its secret. */
  async function enrolled(email: string) {
    const user = await createUser(server, { email, password: 'correct horse battery staple' });
    const { factors } = server.services.stores;
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    const f = await factors.addTotp(user.id, 'phone', secret);
    // Confirm with an old step so that codes of now are still fresh.
    await factors.acceptTotpStep(user.id, f.id, 1);
    return { ...user, secret };
  }
  const toCode = async (user: { email: string; password: string }) => {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    await w.start();
    const step = await w.submit('/login', { email: user.email, password: user.password });
    return { w, step };
  };

  beforeAll(async () => {
    clientId = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
  });

  it('asks for the code after the password, accepts it once, and refuses the replay', async () => {
    const user = await enrolled('totp-once@example.com');
    const { w, step } = await toCode(user);
    expect(step.url.pathname).toMatch(/^\/interaction\/[\w-]+\/mfa$/);
    expect(step.html).toContain('autocomplete="one-time-code"');
    const code = codeAt(user.secret, Date.now());
    const wrong = await w.submit('/mfa/totp', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(200);
    expect(wrong.alert).toMatch(/not correct/);
    const ok = await w.submit('/mfa/totp', { code });
    expect(ok.callback?.searchParams.get('code')).toMatch(/^[\w-]{43}$/);

    const again = await toCode(user);
    const replay = await again.w.submit('/mfa/totp', { code });
    expect(replay.callback).toBeNull();
    expect(replay.alert).toMatch(/already used/);
  });

  it('locks after repeated wrong codes: 429 with Retry-After, and a correct code is refused while locked', async () => {
    const user = await enrolled('totp-brute@example.com');
    const { w } = await toCode(user);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await w.submit('/mfa/totp', { code: String(100000 + i) });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses[4]).toBe(429);
    expect(Number(last!.retryAfter)).toBeGreaterThan(0);
    const correct = await w.submit('/mfa/totp', { code: codeAt(user.secret, Date.now()) });
    expect(correct.status).toBe(429);
    expect(correct.callback).toBeNull();
    expect(correct.alert).toMatch(/Too many failed attempts/);
  });

  it('enrols with an otpauth URI naming the issuer and the email, drawn as an SVG QR code, active only once confirmed', async () => {
    const user = await createUser(server, { email: 'qr@example.com', password: 'correct horse battery staple' });
    const { totp } = server.services.services.mfa;
    const e = await totp.start(user.id, user.email);
    const uri = new URL(e.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Gatehouse:qr@example.com');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ secret: e.secret, issuer: 'Gatehouse', algorithm: 'SHA1', digits: '6', period: '30' });
    const svg = Buffer.from(e.qr.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString();
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(await server.services.stores.factors.list(user.id)).toEqual([]);
    const g = await totp.confirm(user.id, e.factorId, codeAt(e.secret, Date.now()), { ip: '203.0.113.9' });
    expect(g.result).toBe('ok');
    expect((await server.services.stores.factors.list(user.id)).map((f) => f.kind)).toEqual(['totp']);
    expect(await totp.pending(user.id, e.factorId, user.email)).toBeNull();
  });

  it('lets exactly one of several concurrent sign-ins spend the same code', async () => {
    const user = await enrolled('totp-race@example.com');
    const walkers = await Promise.all([1, 2, 3, 4].map(async () => (await toCode(user)).w));
    const code = codeAt(user.secret, Date.now());
    const results = await Promise.all(walkers.map((w) => w.submit('/mfa/totp', { code })));
    expect(results.filter((r) => r.callback).length).toBe(1);
  });
});
