// Passkeys end to end, passwordless: real Chromium with its CDP virtual
// authenticator on a Gatehouse whose issuer is http://localhost:<port> (a
// WebAuthn RP id must be a domain), openid-client as the relying party
// verifying the id_token. The second step after a password:
// mfa-passkeys-second-factor.test.ts.
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer } from '../helpers/relying-party.js';
import { usePasskeyBrowser } from '../helpers/passkey-browser.js';
import { ACR_MFA } from '../../src/mfa/mfa-policy.js';

describe('passwordless passkeys in Chromium (issuer http://localhost)', () => {
  const pk = usePasskeyBrowser();

  it('offers a passkey on the login page; a browser without one for this site is told so', async () => {
    await pk.page.goto((await pk.rp.start()).url.href);
    const button = pk.page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    expect(await pk.page.getByLabel('Email address').getAttribute('autocomplete')).toBe('username webauthn');
    expect(await axeViolations(pk.page)).toEqual([]);
    await screenshot(pk.page, 'passkey-login');
    await pk.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(pk.page, 'passkey-login-390');
    await button.click();
    expect(await pk.alertText()).toMatch(/cancelled or timed out/);
    expect(await axeViolations(pk.page)).toEqual([]);
    await screenshot(pk.page, 'passkey-login-none');
  });

  it('signs in passwordless with the button: amr hwk+mfa, acr MFA, audited', async () => {
    const user = await pk.newUser('ada');
    await pk.seedPasskey(user);
    // No automatic presence while the page loads, so the conditional request
    // (autofill) stays pending, as it does until a person picks the passkey.
    await pk.presence(false);
    // Test instrumentation (an init script, outside the page's CSP): note when the conditional request is made.
    await pk.page.addInitScript(() => {
      const get = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = (o?: CredentialRequestOptions) => {
        if (o?.mediation === 'conditional') (window as unknown as { conditional: boolean }).conditional = true;
        return get(o);
      };
    });
    const flow = await pk.rp.start();
    await pk.page.goto(flow.url.href);
    const button = pk.page.getByRole('button', { name: 'Sign in with a passkey' });
    await pk.page.waitForFunction(() => (window as unknown as { conditional?: boolean }).conditional === true);
    await pk.presence(true);
    await button.click();
    const tokens = await flow.redeem(await pk.callback());
    const claims = tokens.claims()!;
    expect(claims.amr).toEqual(expect.arrayContaining(['hwk', 'mfa']));
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.sub).toBe(user.id);
    const verified = await pk.events('mfa.passkey.verify', user.id);
    expect(verified.map((e) => [e.outcome, (e.details as { mode?: string }).mode])).toEqual([['success', 'passwordless']]);
    expect((await pk.events('mfa.passkey.enrol', user.id)).map((e) => e.outcome)).toEqual(['success']);
  });

  it('signs in through conditional UI (the passkey offered in the email field\'s autofill)', async () => {
    const user = await pk.newUser('autofill');
    await pk.seedPasskey(user);
    // The virtual authenticator picks its one credential at once, as a person would from the autofill list.
    const flow = await pk.rp.start();
    await pk.page.goto(flow.url.href);
    const tokens = await flow.redeem(await pk.callback());
    expect(tokens.claims()!.sub).toBe(user.id);
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['hwk', 'mfa']));
  });

  it('calls a synced (backed-up) passkey swk', async () => {
    await pk.freshBrowser(true);
    const user = await pk.newUser('synced');
    const { factor } = await pk.seedPasskey(user);
    expect(factor.passkey).toMatchObject({ deviceType: 'multiDevice', backedUp: true });
    const flow = await pk.rp.start();
    await pk.page.goto(flow.url.href);
    const claims = (await flow.redeem(await pk.callback())).claims()!;
    expect(claims.amr).toEqual(['swk', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('refuses a passkey that is no longer registered, with a clear message', async () => {
    const user = await pk.newUser('gone');
    const { factor } = await pk.seedPasskey(user);
    await pk.server.services.stores.factors.remove(user.id, factor.id);
    await pk.page.goto((await pk.rp.start()).url.href);
    expect(await pk.alertText()).toMatch(/not registered here/);
    expect(await axeViolations(pk.page)).toEqual([]);
    await screenshot(pk.page, 'passkey-login-unknown');
  });

  it('refuses the passkey of a disabled user', async () => {
    const user = await pk.newUser('off');
    await pk.seedPasskey(user);
    await pk.server.services.stores.users.setDisabled(user.id, true);
    await pk.page.goto((await pk.rp.start()).url.href);
    expect(await pk.alertText()).toMatch(/disabled/);
    expect((await pk.events('mfa.passkey.verify', user.id)).some((e) => e.outcome === 'failure' && (e.details as { reason?: string }).reason === 'disabled')).toBe(true);
  });

  it('refuses a cloned authenticator whose counter does not move forward, and audits it', async () => {
    const user = await pk.newUser('clone');
    await pk.seedPasskey(user);
    const [original] = (await pk.cdp.send('WebAuthn.getCredentials', { authenticatorId: pk.authenticatorId })).credentials;
    // One good sign-in moves the stored counter past the copy's.
    const flow = await pk.rp.start();
    await pk.page.goto(flow.url.href);
    await flow.redeem(await pk.callback());
    // The copy: the same key on another authenticator, counter as at registration.
    await pk.freshBrowser();
    await pk.cdp.send('WebAuthn.addCredential', { authenticatorId: pk.authenticatorId, credential: { ...original!, signCount: 0 } });
    await pk.page.goto((await pk.rp.start()).url.href);
    expect(await pk.alertText()).toMatch(/may have been copied/);
    const failures = (await pk.events('mfa.passkey.verify', user.id)).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => (e.details as { reason?: string }).reason)).toContain('counter');
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
