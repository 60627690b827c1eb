// The second step over HTTP on a real server: a user with an authenticator
// is asked for a code after the password; a correct code finishes the
// sign-in, a replayed one is refused (RFC 6238 §5.2), and guessing codes
// locks like passwords (429 with Retry-After; a correct code refused while locked).
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
});
