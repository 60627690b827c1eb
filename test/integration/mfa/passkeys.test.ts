// The passkey service below HTTP (src/mfa/passkeys.ts, passkey-challenge.ts)
// on a real database: what the ceremonies ask the browser for, and the
// refusals that need no authenticator (challenge binding, single use, expiry,
// tampering, unknown credentials). Ceremonies with a real authenticator are
// test/e2e/mfa-passkeys.test.ts.
import { describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { useServices } from '../../helpers/fixture.js';
import { createChallenges } from '../../../src/mfa/passkey-challenge.js';
import { createPasskeys } from '../../../src/mfa/passkeys.js';
import { createSecretBox } from '../../../src/crypto/secret-box.js';

const fakeAssertion = (id: string) =>
  ({ id, rawId: id, type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: '', authenticatorData: '', signature: '' } }) as AuthenticationResponseJSON;

describe('passkey service', () => {
  const fixture = useServices({ backend: 'postgres', env: { ISSUER: 'https://id.example.test' } });
  const s = () => fixture.services;
  let n = 0;
  const newUser = () => s().stores.users.create({ email: `pk${++n}@example.com`, password: 'correct horse battery', name: 'Pat Key' });
  const challenges = (now = Date.now) => createChallenges({ box: createSecretBox('a'.repeat(32), 'passkey-challenges'), throttle: s().stores.throttle, now });

  it('spends a challenge once, only for its purpose and binding, and only before it expires', async () => {
    const c = challenges();
    const t1 = c.issue('login', 'interaction:abc', 'chal-1', null);
    expect(await c.spend(t1, 'second-factor', 'interaction:abc')).toBeNull();
    expect(await c.spend(t1, 'login', 'interaction:other')).toBeNull();
    expect(await c.spend(t1, 'login', 'interaction:abc')).toMatchObject({ challenge: 'chal-1', userId: null });
    expect(await c.spend(t1, 'login', 'interaction:abc')).toBeNull();

    let clock = Date.now();
    const late = challenges(() => clock);
    const t2 = late.issue('register', 'account:s1', 'chal-2', 'u1');
    clock += 301_000;
    expect(await late.spend(t2, 'register', 'account:s1')).toBeNull();

    const t3 = c.issue('login', 'interaction:abc', 'chal-3', null);
    const [iv, tag, body] = t3.split('.').slice(1);
    const flipped = `v1.${iv}.${tag}.${body!.slice(0, -2)}${body!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await c.spend(flipped, 'login', 'interaction:abc')).toBeNull();
    const otherKey = createChallenges({ box: createSecretBox('b'.repeat(32), 'passkey-challenges'), throttle: s().stores.throttle });
    expect(await otherKey.spend(t3, 'login', 'interaction:abc')).toBeNull();
    expect(await c.spend(undefined, 'login', 'interaction:abc')).toBeNull();
    expect(await c.spend('garbage', 'login', 'interaction:abc')).toBeNull();
  });

  it('sweeps the single-use markers of expired challenges', async () => {
    const markers = () => s().db.prisma.throttle.count({ where: { key: { startsWith: 'passkey:challenge:' } } });
    const c = challenges();
    expect(await c.spend(c.issue('login', 'interaction:sw', 'chal-sweep', null), 'login', 'interaction:sw')).not.toBeNull();
    const before = await markers();
    expect(before).toBeGreaterThan(0);
    // An instance whose clock is past every marker's lifetime sweeps them on its first spend.
    const later = challenges(() => Date.now() + 301_000);
    await later.spend(later.issue('login', 'interaction:sw', 'chal-sweep-2', null), 'login', 'interaction:sw');
    expect(await markers()).toBe(1);
  });

  it('admits exactly one of many concurrent spends of one challenge', async () => {
    const c = challenges();
    const t = c.issue('login', 'interaction:race', 'chal-race', null);
    const results = await Promise.all(Array.from({ length: 8 }, () => c.spend(t, 'login', 'interaction:race')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('asks for a discoverable passkey without attestation, excluding the ones the user has', async () => {
    const user = await newUser();
    await s().stores.factors.addPasskey(user.id, 'Old key', {
      credentialId: 'b2xkLWtleQ', publicKey: 'pQECAyYgASFYIA', signCount: 3, transports: ['usb'], deviceType: 'singleDevice', backedUp: false, aaguid: null,
    });
    const { options, ticket } = await s().services.passkeys.registrationOptions(user, 'account:s1');
    expect(options.rp).toEqual({ id: 'id.example.test', name: 'Gatehouse' });
    expect(options.user.id).toBe(Buffer.from(user.id.replace(/-/g, ''), 'hex').toString('base64url'));
    expect(options.user.name).toBe(user.email);
    expect(options.attestation).toBe('none');
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' });
    expect(options.excludeCredentials).toEqual([{ id: 'b2xkLWtleQ', type: 'public-key', transports: ['usb'] }]);
    expect(ticket).not.toContain(options.challenge);

    const passwordless = await s().services.passkeys.authenticationOptions('interaction:x', null);
    expect(passwordless.options).toMatchObject({ rpId: 'id.example.test', userVerification: 'required' });
    expect(passwordless.options.allowCredentials ?? []).toEqual([]);
    const second = await s().services.passkeys.authenticationOptions('interaction:x', user.id);
    expect(second.options.userVerification).toBe('preferred');
    expect(second.options.allowCredentials).toEqual([{ id: 'b2xkLWtleQ', type: 'public-key', transports: ['usb'] }]);
  });

  it('refuses an answer without its challenge, to another ceremony, or from an unknown credential, and audits each', async () => {
    const user = await newUser();
    const pk = s().services.passkeys;
    const binding = 'interaction:refuse';
    expect(await pk.verifyAuthentication({ binding, ticket: undefined, response: fakeAssertion('eA'), userId: null })).toEqual({ ok: false, reason: 'challenge' });
    const sf = await pk.authenticationOptions(binding, user.id);
    // A second-factor challenge is no passwordless one, nor another user's.
    expect(await pk.verifyAuthentication({ binding, ticket: sf.ticket, response: fakeAssertion('eA'), userId: null })).toEqual({ ok: false, reason: 'challenge' });
    const other = await newUser();
    const sf2 = await pk.authenticationOptions(binding, user.id);
    expect(await pk.verifyAuthentication({ binding, ticket: sf2.ticket, response: fakeAssertion('eA'), userId: other.id })).toEqual({ ok: false, reason: 'challenge' });
    const login = await pk.authenticationOptions(binding, null);
    expect(await pk.verifyAuthentication({ binding, ticket: login.ticket, response: fakeAssertion('bm8tc3VjaA'), userId: null }))
      .toEqual({ ok: false, reason: 'unknown-credential' });
    const reg = await pk.registrationOptions(user, 'account:s2');
    expect(await pk.verifyRegistration({ user: other, binding: 'account:s2', ticket: reg.ticket, response: {} as never })).toEqual({ ok: false, reason: 'challenge' });

    await s().stores.events.drain();
    const events = await s().stores.auditLog.list(undefined, 100);
    const mine = events.filter((e) => e.type.startsWith('mfa.passkey.'));
    expect(mine.filter((e) => e.type === 'mfa.passkey.verify' && e.outcome === 'failure').length).toBeGreaterThanOrEqual(4);
    expect(mine.some((e) => e.type === 'mfa.passkey.enrol' && e.outcome === 'failure' && e.subject === other.id)).toBe(true);
  });

  it('is off, and says so, when the issuer is an IP address', async () => {
    const off = createPasskeys({
      factors: s().stores.factors, users: s().stores.users, events: s().stores.events, challenges: challenges(),
      policy: { ...s().policies.mfa, rpId: null },
    });
    expect(off.enabled).toBe(false);
    await expect(off.authenticationOptions('interaction:x', null)).rejects.toThrow(/IP address/);
    expect(s().services.passkeys.enabled).toBe(true);
  });
});
