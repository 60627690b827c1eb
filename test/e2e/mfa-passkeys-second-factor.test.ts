// Passkeys end to end as the second step after a password: registered in
// the enrolment walkthrough instead of an app, used as the second factor, for
// step-up, and the refusals (another user's passkey, a replayed assertion).
// Real Chromium with its CDP virtual authenticator (helpers/passkey-browser.ts).
import { describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { usePasskeyBrowser } from '../helpers/passkey-browser.js';
import { ACR_MFA } from '../../src/mfa/mfa-policy.js';

describe('passkeys after a password in Chromium (issuer http://localhost)', () => {
  const pk = usePasskeyBrowser();

  it('enrols a passkey instead of an app when MFA is required, then signs in with password + passkey', async () => {
    const user = await pk.newUser('enrol');
    await pk.server.services.stores.users.setMfaRequired(user.id, true);
    const first = await pk.rp.start();
    await pk.page.goto(first.url.href);
    await pk.signInWithPassword(user.email);
    const register = pk.page.getByRole('button', { name: 'Register a passkey' });
    await register.waitFor();
    await pk.page.getByLabel('Name for this passkey (optional)').fill('Laptop');
    expect(await axeViolations(pk.page)).toEqual([]);
    await screenshot(pk.page, 'passkey-enrol');
    await register.click();
    await pk.page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect(await pk.page.locator('.code-list li').count()).toBe(10);
    await screenshot(pk.page, 'passkey-enrol-recovery-codes');
    await pk.page.getByRole('button', { name: /I have saved them/ }).click();
    const enrolled = (await first.redeem(await pk.callback())).claims()!;
    expect(enrolled.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(enrolled.acr).toBe(ACR_MFA);
    const factors = await pk.server.services.stores.factors.list(user.id);
    expect(factors.map((f) => [f.kind, f.name, f.passkey?.deviceType, f.passkey?.backedUp])).toEqual([['passkey', 'Laptop', 'singleDevice', false]]);

    // A new browser session on the same device: password, then the passkey as second factor.
    await pk.context.clearCookies();
    await pk.presence(false); // keep the login page's conditional request from answering by itself
    const second = await pk.rp.start();
    await pk.page.goto(second.url.href);
    await pk.signInWithPassword(user.email);
    const use = pk.page.getByRole('button', { name: 'Verify with a passkey' });
    await use.waitFor();
    expect(await pk.page.getByLabel('Authenticator code').count()).toBe(0);
    expect(await axeViolations(pk.page)).toEqual([]);
    await screenshot(pk.page, 'passkey-second-factor');
    await pk.presence(true);
    await use.click();
    await pk.page.waitForURL(`${pk.rpBase}/**`);
    const claims = (await second.redeem(pk.page.url())).claims()!;
    expect(claims.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
    const modes = (await pk.events('mfa.passkey.verify', user.id)).map((e) => [e.outcome, (e.details as { mode?: string }).mode]);
    expect(modes).toEqual([['success', 'second-factor']]);
    expect((await pk.events('mfa.passkey.enrol', user.id)).map((e) => e.outcome)).toEqual(['success']);
  });

  it('steps a password-only session up with a passkey when acr_values asks for MFA', async () => {
    const user = await pk.newUser('stepup');
    const first = await pk.rp.start();
    await pk.page.goto(first.url.href);
    await pk.signInWithPassword(user.email);
    const plain = (await first.redeem(await pk.callback())).claims()!;
    expect(plain.amr).toEqual(['pwd']);
    // The passkey is added after that sign-in, so the SSO session is still password-only.
    await pk.seedPasskey(user);
    const up = await pk.rp.start({ acr_values: ACR_MFA });
    await pk.page.goto(up.url.href);
    await pk.page.getByRole('button', { name: 'Verify with a passkey' }).click();
    await pk.page.waitForURL(`${pk.rpBase}/**`);
    const claims = (await up.redeem(pk.page.url())).claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('as a second factor, refuses another user\'s passkey and a replayed assertion', async () => {
    const owner = await pk.newUser('owner');
    await pk.seedPasskey(owner);
    const other = await pk.newUser('other');
    // Real assertions from the page's origin (seedPasskey left the bundle loaded there).
    const assertion = async (userId: string) => {
      const { options, ticket } = await pk.server.services.services.passkeys.authenticationOptions('test:second', userId);
      const response = await pk.page.evaluate(
        (o) => (window as unknown as { SimpleWebAuthnBrowser: { startAuthentication(a: object): Promise<unknown> } }).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: o }),
        options,
      ) as AuthenticationResponseJSON;
      return { ticket, response };
    };
    const verify = (a: { ticket: string; response: AuthenticationResponseJSON }, userId: string) =>
      pk.server.services.services.passkeys.verifyAuthentication({ binding: 'test:second', ticket: a.ticket, response: a.response, userId });
    // `other` has no passkey, so the browser offers the owner's discoverable one.
    expect(await verify(await assertion(other.id), other.id)).toEqual({ ok: false, reason: 'wrong-user' });
    const good = await assertion(owner.id);
    expect(await verify(good, owner.id)).toEqual({ ok: true, userId: owner.id, factor: 'passkey-hwk' });
    expect(await verify(good, owner.id)).toEqual({ ok: false, reason: 'challenge' });
    const fresh = await pk.server.services.services.passkeys.authenticationOptions('test:second', owner.id);
    expect(await verify({ ticket: fresh.ticket, response: good.response }, owner.id)).toEqual({ ok: false, reason: 'invalid' });
    const reasons = (await pk.events('mfa.passkey.verify', other.id)).map((e) => (e.details as { reason?: string }).reason);
    expect(reasons).toEqual(['wrong-user']);
  });
});
