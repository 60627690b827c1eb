// Passkeys end to end: real Chromium with its CDP virtual authenticator
// (WebAuthn.addVirtualAuthenticator) on a Gatehouse whose issuer is
// http://localhost:<port> (a WebAuthn RP id must be a domain), openid-client
// as the relying party verifying the id_token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';
import { ACR_MFA } from '../../src/mfa/mfa-policy.js';
import type { User } from '../../src/users/user-store.js';

const PASSWORD = 'correct horse battery staple';

/** A platform authenticator; `synced` sets the backup flags (BE, BS) a synced passkey provider reports. */
async function virtualAuthenticator(context: BrowserContext, page: Page, synced = false) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
      ...(synced ? { defaultBackupEligibility: true, defaultBackupState: true } : {}),
    },
  });
  return { cdp, authenticatorId };
}

describe('passkeys in Chromium (issuer http://localhost)', () => {
  const server = useServer({ backend: 'postgres', issuerHost: 'localhost' });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let rp: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  let n = 0;

  const passkeys = () => server.services.services.passkeys;
  const newUser = (tag: string) =>
    server.services.stores.users.create({ email: `${tag}-${++n}@example.com`, password: PASSWORD, name: `User ${tag}`, emailVerified: true });
  const callback = async () => {
    await page.getByRole('button', { name: /allow/i }).click();
    await page.waitForURL(`${rpServer.base}/**`);
    return page.url();
  };
  /**
   * Registers a passkey for the user with the real service and a real browser
   * ceremony on the issuer's origin (the UMD bundle the pages use).
   */
  const seedPasskey = async (user: User) => {
    await page.goto(`${server.issuer}/static/css/gatehouse.css`);
    await page.goto(`${server.issuer}/no-such-page`);
    await page.addScriptTag({ url: '/static/vendor/simplewebauthn/index.umd.min.js' });
    const { options, ticket } = await passkeys().registrationOptions(user, 'test:seed');
    const response = await page.evaluate(
      (o) => (window as unknown as { SimpleWebAuthnBrowser: { startRegistration(a: object): Promise<unknown> } }).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: o }),
      options,
    ) as RegistrationResponseJSON;
    const result = await passkeys().verifyRegistration({ user, binding: 'test:seed', ticket, response, name: 'Virtual key' });
    expect(result.ok).toBe(true);
    return result;
  };
  const alertText = async () => {
    const alert = page.locator('#passkey-status .alert');
    await alert.waitFor();
    return alert.textContent();
  };
  const events = async (type: string, subject: string) =>
    (await server.services.stores.auditLog.list(type, 500)).filter((e) => e.subject === subject);

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    const c = await server.services.stores.clients.create({ name: 'Notes', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email' });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
  });
  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext();
    page = await context.newPage();
    ({ cdp, authenticatorId } = await virtualAuthenticator(context, page));
  });

  it('offers a passkey on the login page; a browser without one for this site is told so', async () => {
    await page.goto((await rp.start()).url.href);
    const button = page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    expect(await page.getByLabel('Email address').getAttribute('autocomplete')).toBe('username webauthn');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'passkey-login');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'passkey-login-390');
    await button.click();
    expect(await alertText()).toMatch(/cancelled or timed out/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'passkey-login-none');
  });

  it('signs in passwordless with the button: amr hwk+mfa, acr MFA, audited', async () => {
    const user = await newUser('ada');
    await seedPasskey(user);
    // No automatic presence while the page loads, so the conditional request
    // (autofill) stays pending, as it does until a person picks the passkey.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const flow = await rp.start();
    await page.goto(flow.url.href);
    const button = page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await button.click();
    const tokens = await flow.redeem(await callback());
    const claims = tokens.claims()!;
    expect(claims.amr).toEqual(expect.arrayContaining(['hwk', 'mfa']));
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.sub).toBe(user.id);
    const verified = await events('mfa.passkey.verify', user.id);
    expect(verified.map((e) => [e.outcome, (e.details as { mode?: string }).mode])).toEqual([['success', 'passwordless']]);
    expect((await events('mfa.passkey.enrol', user.id)).map((e) => e.outcome)).toEqual(['success']);
  });

  it('signs in through conditional UI (the passkey offered in the email field\'s autofill)', async () => {
    const user = await newUser('autofill');
    await seedPasskey(user);
    // The virtual authenticator picks its one credential at once, as a person would from the autofill list.
    const flow = await rp.start();
    await page.goto(flow.url.href);
    const tokens = await flow.redeem(await callback());
    expect(tokens.claims()!.sub).toBe(user.id);
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['hwk', 'mfa']));
  });

  it('calls a synced (backed-up) passkey swk', async () => {
    await context.close();
    context = await browser.newContext();
    page = await context.newPage();
    ({ cdp, authenticatorId } = await virtualAuthenticator(context, page, true));
    const user = await newUser('synced');
    const { factor } = (await seedPasskey(user)) as { factor: { passkey: { deviceType: string; backedUp: boolean } } };
    expect(factor.passkey).toMatchObject({ deviceType: 'multiDevice', backedUp: true });
    const flow = await rp.start();
    await page.goto(flow.url.href);
    const claims = (await flow.redeem(await callback())).claims()!;
    expect(claims.amr).toEqual(['swk', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('refuses a passkey that is no longer registered, with a clear message', async () => {
    const user = await newUser('gone');
    const { factor } = (await seedPasskey(user)) as { factor: { id: string } };
    await server.services.stores.factors.remove(user.id, factor.id);
    await page.goto((await rp.start()).url.href);
    expect(await alertText()).toMatch(/not registered here/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'passkey-login-unknown');
  });

  it('refuses the passkey of a disabled user', async () => {
    const user = await newUser('off');
    await seedPasskey(user);
    await server.services.stores.users.setDisabled(user.id, true);
    await page.goto((await rp.start()).url.href);
    expect(await alertText()).toMatch(/disabled/);
    expect((await events('mfa.passkey.verify', user.id)).some((e) => e.outcome === 'failure' && (e.details as { reason?: string }).reason === 'disabled')).toBe(true);
  });

  it('refuses a cloned authenticator whose counter does not move forward, and audits it', async () => {
    const user = await newUser('clone');
    await seedPasskey(user);
    const [original] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    // One good sign-in moves the stored counter past the copy's.
    const flow = await rp.start();
    await page.goto(flow.url.href);
    await flow.redeem(await callback());
    // The copy: the same key on another authenticator, counter as at registration.
    await context.close();
    context = await browser.newContext();
    page = await context.newPage();
    ({ cdp, authenticatorId } = await virtualAuthenticator(context, page));
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original!, signCount: 0 } });
    await page.goto((await rp.start()).url.href);
    expect(await alertText()).toMatch(/may have been copied/);
    const failures = (await events('mfa.passkey.verify', user.id)).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => (e.details as { reason?: string }).reason)).toContain('counter');
  });
  const signInWithPassword = async (email: string) => {
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };
  const presence = (enabled: boolean) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });

  it('enrols a passkey instead of an app when MFA is required, then signs in with password + passkey', async () => {
    const user = await newUser('enrol');
    await server.services.stores.users.setMfaRequired(user.id, true);
    const first = await rp.start();
    await page.goto(first.url.href);
    await signInWithPassword(user.email);
    const register = page.getByRole('button', { name: 'Register a passkey' });
    await register.waitFor();
    await page.getByLabel('Name for this passkey (optional)').fill('Laptop');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'passkey-enrol');
    await register.click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect(await page.locator('.code-list li').count()).toBe(10);
    await screenshot(page, 'passkey-enrol-recovery-codes');
    await page.getByRole('button', { name: /I have saved them/ }).click();
    const enrolled = (await first.redeem(await callback())).claims()!;
    expect(enrolled.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(enrolled.acr).toBe(ACR_MFA);
    const factors = await server.services.stores.factors.list(user.id);
    expect(factors.map((f) => [f.kind, f.name, f.passkey?.deviceType, f.passkey?.backedUp])).toEqual([['passkey', 'Laptop', 'singleDevice', false]]);

    // A new browser session on the same device: password, then the passkey as second factor.
    await context.clearCookies();
    await presence(false); // keep the login page's conditional request from answering by itself
    const second = await rp.start();
    await page.goto(second.url.href);
    await signInWithPassword(user.email);
    const use = page.getByRole('button', { name: 'Verify with a passkey' });
    await use.waitFor();
    expect(await page.getByLabel('Authenticator code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'passkey-second-factor');
    await presence(true);
    await use.click();
    await page.waitForURL(`${rpServer.base}/**`);
    const claims = (await second.redeem(page.url())).claims()!;
    expect(claims.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
    const modes = (await events('mfa.passkey.verify', user.id)).map((e) => [e.outcome, (e.details as { mode?: string }).mode]);
    expect(modes).toEqual([['success', 'second-factor']]);
    expect((await events('mfa.passkey.enrol', user.id)).map((e) => e.outcome)).toEqual(['success']);
  });

  it('as a second factor, refuses another user\'s passkey and a replayed assertion', async () => {
    const owner = await newUser('owner');
    await seedPasskey(owner);
    const other = await newUser('other');
    // Real assertions from the page's origin (seedPasskey left the bundle loaded there).
    const assertion = async (userId: string) => {
      const { options, ticket } = await passkeys().authenticationOptions('test:second', userId);
      const response = await page.evaluate(
        (o) => (window as unknown as { SimpleWebAuthnBrowser: { startAuthentication(a: object): Promise<unknown> } }).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: o }),
        options,
      ) as AuthenticationResponseJSON;
      return { ticket, response };
    };
    const verify = (a: { ticket: string; response: AuthenticationResponseJSON }, userId: string) =>
      passkeys().verifyAuthentication({ binding: 'test:second', ticket: a.ticket, response: a.response, userId });
    // `other` has no passkey, so the browser offers the owner's discoverable one.
    expect(await verify(await assertion(other.id), other.id)).toEqual({ ok: false, reason: 'wrong-user' });
    const good = await assertion(owner.id);
    expect(await verify(good, owner.id)).toEqual({ ok: true, userId: owner.id, factor: 'passkey-hwk' });
    expect(await verify(good, owner.id)).toEqual({ ok: false, reason: 'challenge' });
    const fresh = await passkeys().authenticationOptions('test:second', owner.id);
    expect(await verify({ ticket: fresh.ticket, response: good.response }, owner.id)).toEqual({ ok: false, reason: 'invalid' });
    const reasons = (await events('mfa.passkey.verify', other.id)).map((e) => (e.details as { reason?: string }).reason);
    expect(reasons).toEqual(['wrong-user']);
  });
});

describe('passkeys with an IP-address issuer', () => {
  const server = useServer({ backend: 'postgres' });

  it('the login page offers no passkey', async () => {
    const rpServer = await startCallbackServer();
    const browser = await launchBrowser();
    try {
      const c = await server.services.stores.clients.create({ name: 'Notes', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email' });
      const rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
      const page = await browser.newPage();
      await page.goto((await rp.start()).url.href);
      await screenshot(page, 'passkey-ip-issuer-login');
      await page.getByLabel('Password').waitFor();
      expect(await page.getByRole('button', { name: /passkey/i }).count()).toBe(0);
      expect(await page.locator('script[src*="passkey"]').count()).toBe(0);
      expect(await page.getByLabel('Email address').getAttribute('autocomplete')).toBe('username');
      const res = await fetch(`${server.issuer}/interaction/x/passkey/login/options`, { method: 'POST' });
      expect(res.status).toBe(404);
    } finally {
      await browser.close();
      await rpServer.close();
    }
  });
});
