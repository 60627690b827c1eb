// Metrics of the second factors (issue 14: "security events and metrics for
// enrolments, successes, failures and lockouts of each factor"): each
// mfa.<factor>.<action> event is counted by outcome in
// gatehouse_security_events_total, which /metrics exposes to Prometheus.
import { beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';

const REDIRECT = 'https://rp.example/cb';
const PASSWORD = 'correct horse battery staple';

describe('MFA metrics', () => {
  const server = useServer({ backend: 'embedded', env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } });
  let clientId: string;

  const counter = async (type: string, outcome: string) => {
    const text = await (await fetch(`${server.issuer}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`gatehouse_security_events_total{type="${type}",outcome="${outcome}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const signIn = async (email: string) => {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    await w.start({ acr_values: 'urn:gatehouse:acr:mfa' });
    return { w, step: await w.submit('/login', { email, password: PASSWORD }) };
  };

  beforeAll(async () => {
    clientId = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
  });

  it('counts TOTP enrolments, successes, failures and lockouts, and recovery-code use', async () => {
    const user = await createUser(server, { email: 'metrics@example.com', password: PASSWORD });
    // Enrolment through the real walkthrough (acr_values demands MFA, the user has none).
    const { w, step } = await signIn(user.email);
    expect(step.url.pathname).toMatch(/\/mfa\/enrol$/);
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(step.html);
    const key = (secret?.[1] ?? '').replace(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) });
    const codes = await w.submit('/mfa/enrol/totp', { code: totp.generate({ timestamp: Date.now() - 30_000 }) });
    const recovery = [...codes.html.matchAll(/\b([a-z2-7]{5}-[a-z2-7]{5})\b/g)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);
    expect(await counter('mfa.totp.enrol', 'success')).toBe(1);
    expect(await counter('mfa.recovery.enrol', 'success')).toBe(1);

    const before = await counter('mfa.totp.verify', 'success');
    const ok = await signIn(user.email);
    expect((await ok.w.submit('/mfa/totp', { code: totp.generate() })).callback).not.toBeNull();
    expect(await counter('mfa.totp.verify', 'success')).toBe(before + 1);

    const bad = await signIn(user.email);
    for (let i = 0; i < 4; i++) await bad.w.submit('/mfa/totp', { code: String(200000 + i) });
    expect(await counter('mfa.totp.verify', 'failure')).toBe(3);
    expect(await counter('mfa.totp.verify', 'denied')).toBe(1);
    expect(await counter('mfa.recovery.verify', 'denied')).toBe(0);
    await bad.w.submit('/mfa/recovery', { code: recovery[0]! });
    // The lock is shared by the account's codes (src/mfa/mfa-throttle.ts).
    expect(await counter('mfa.recovery.verify', 'denied')).toBe(1);
  });
});
