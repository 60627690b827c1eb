// The account security page end to end: real Chromium signs in through
// Gatehouse's own login page, sees its seeded factors, renames and removes
// one (audited), regenerates recovery codes (old ones stop working), and is
// refused removing its only factor when an admin requires MFA. Axe finds no
// violations; screenshots at desktop width and at 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createUser } from '../helpers/builders.js';
import * as OTPAuth from 'otpauth';
import type { PasskeyCredential } from '../../src/mfa/factor-store.js';

const passkey = (id: string, synced: boolean): PasskeyCredential => ({
  credentialId: id, publicKey: 'pQECAyYgASFYIPvq0dJ0s6lF9Kq1g2QxgM9J5yq7GZ0v3JdX0YH9Y3tlIlgg', signCount: 0, transports: ['internal'],
  deviceType: synced ? 'multiDevice' : 'singleDevice', backedUp: synced, aaguid: null,
});
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const step = () => Math.floor(Date.now() / 30_000);
const totpCode = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
const OLD_CODES = Array.from({ length: 10 }, (_, i) => `old${i}a-bbbbb`);

describe('account security page', () => {
  const server = useServer({ backend: 'postgres' });
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let user: { id: string; email: string; password: string };
  let totpId = '';
  let keyId = '';

  const newPage = async (width = 1280) => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  /** The real login page; users with an authenticator (all seeded with SECRET) then get the second step. */
  const signIn = async (page: Page, who: { email: string; password: string }, secondStep = true) => {
    await page.getByLabel(/email/i).fill(who.email);
    await page.getByLabel(/password/i).fill(who.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    if (!secondStep) return;
    await page.getByLabel('Authenticator code').fill(totpCode(SECRET));
    await page.getByRole('button', { name: 'Verify' }).click();
  };
  // One browser per user, signed in once through the login page; later pages
  // reuse its account session (as a person's browser would).
  const signedIn = new Map<string, BrowserContext>();
  const securityPage = async (who = user, width = 1280, secondStep = true) => {
    const context = signedIn.get(who.email);
    if (!context) {
      const page = await newPage(width);
      await page.goto(`${server.issuer}/account/security`);
      await signIn(page, who, secondStep);
      await page.waitForURL(`${server.issuer}/account/security`);
      signedIn.set(who.email, page.context());
      return page;
    }
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${server.issuer}/account/security`);
    expect(page.url()).toBe(`${server.issuer}/account/security`);
    return page;
  };
  const expectAccessible = async (page: Page) => expect(await axeViolations(page)).toEqual([]);

  beforeAll(async () => {
    const { stores } = server.services;
    user = await createUser(server, { email: 'ada@example.com', password: 'ada-password-1', name: 'Ada' });
    const totp = await stores.factors.addTotp(user.id, 'Phone', SECRET);
    // Used ten steps ago: the sign-in's own code (current step) is not a replay.
    expect(await stores.factors.acceptTotpStep(user.id, totp.id, step() - 10)).toBe(true);
    totpId = totp.id;
    keyId = (await stores.factors.addPasskey(user.id, 'YubiKey', passkey('a2V5LTE', false))).id;
    await stores.factors.addPasskey(user.id, 'Laptop', passkey('a2V5LTI', true));
    await stores.recoveryCodes.replace(user.id, OLD_CODES);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
  });

  it('sends a visitor who is not signed in through the login page, then lists their factors', async () => {
    const anonymous = await newPage();
    await anonymous.goto(`${server.issuer}/account/security`);
    expect(anonymous.url()).toContain('/interaction/');
    expect(await anonymous.getByLabel(/password/i).count()).toBe(1);
    const page = await securityPage();
    expect(await page.getByRole('heading', { name: 'Security', level: 1 }).count()).toBe(1);
    const items = page.getByRole('list', { name: 'Your sign-in methods' }).getByRole('listitem');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).textContent()).toMatch(/Phone\s+Authenticator app[\s\S]*Last used\s*\d/);
    expect(await items.nth(1).textContent()).toMatch(/YubiKey\s+Passkey[\s\S]*Never[\s\S]*On this device only/);
    expect(await items.nth(2).textContent()).toMatch(/Laptop[\s\S]*Synced across your devices/);
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/10 unused recovery codes left/);
    const headers = (await page.reload())!.headers();
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    await expectAccessible(page);
    await screenshot(page, 'account-security');
  });

  it('fits a 390 px screen', async () => {
    const page = await securityPage(user, 390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByText('Rename Phone').click();
    await expectAccessible(page);
    await screenshot(page, 'account-security-390');
    const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Add an authenticator app' }).waitFor();
    await fits();
    await screenshot(page, 'account-add-totp-390');
    await page.goto(`${server.issuer}/account/security/factors/${keyId}/remove`);
    await fits();
  });

  it('renames a factor (audited, with the factor id and self: true)', async () => {
    const page = await securityPage();
    await page.getByText('Rename Phone').click();
    await page.getByLabel('New name for Phone').fill('');
    await page.getByLabel('New name for Phone').fill('   ');
    await page.getByRole('button', { name: 'Save name' }).first().click();
    // The browser's own `required` check passes spaces; the server refuses them.
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('New name for Phone').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByLabel('New name for Phone').fill('Work phone');
    await page.getByRole('button', { name: 'Save name' }).first().click();
    await page.getByText('The name was saved.').waitFor();
    const factors = await server.services.stores.factors.list(user.id);
    expect(factors.find((f) => f.id === totpId)?.name).toBe('Work phone');
    const [event] = await server.services.stores.auditLog.list('mfa.totp.rename', 1);
    expect(event).toMatchObject({ subject: user.id, clientId: 'gatehouse-account', outcome: 'success', details: { factor_id: totpId, self: true } });
  });

  it('removes a factor after a confirmation (audited)', async () => {
    const page = await securityPage();
    await page.getByRole('link', { name: 'Remove YubiKey' }).click();
    await page.getByRole('heading', { name: 'Remove “YubiKey”?' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'account-remove-factor');
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByText('The sign-in method was removed.').waitFor();
    expect(await page.getByText('YubiKey').count()).toBe(0);
    expect((await server.services.stores.factors.list(user.id)).map((f) => f.id)).not.toContain(keyId);
    const [event] = await server.services.stores.auditLog.list('mfa.passkey.remove', 1);
    expect(event).toMatchObject({ subject: user.id, details: { factor_id: keyId, self: true, recovery_codes_removed: 0 } });
  });

  it('regenerates recovery codes: shown once, the old ones stop working, the new ones work', async () => {
    const page = await securityPage();
    await page.getByRole('button', { name: 'Generate new codes' }).click();
    await page.getByRole('heading', { name: 'Your new recovery codes' }).waitFor();
    const codes = (await page.locator('.code-list code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await expectAccessible(page);
    await screenshot(page, 'account-recovery-codes');
    const { recoveryCodes, auditLog } = server.services.stores;
    expect((await recoveryCodes.use(user.id, OLD_CODES[0]!)).ok).toBe(false);
    expect(await recoveryCodes.use(user.id, codes[0]!)).toEqual({ ok: true, remaining: 9 });
    expect((await recoveryCodes.use(user.id, codes[0]!)).ok).toBe(false);
    const [event] = await auditLog.list('mfa.recovery.regenerate', 1);
    expect(event).toMatchObject({ subject: user.id, details: { self: true, count: 10 } });
    expect(JSON.stringify(event!.details)).not.toContain(codes[1]!);
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/9 unused recovery codes left/);
    // Not shown again.
    expect(await page.content()).not.toContain(codes[1]!);
  });

  it('refuses to remove the only factor of a user who must use MFA', async () => {
    const { stores } = server.services;
    const must = await createUser(server, { email: 'must@example.com', password: 'must-password-1' });
    await stores.users.setMfaRequired(must.id, true);
    const only = await stores.factors.addTotp(must.id, 'Only app', SECRET);
    await stores.factors.acceptTotpStep(must.id, only.id, step() - 10);
    const page = await securityPage(must);
    expect(await page.getByText(/must use a second sign-in step/).count()).toBe(1);
    await page.getByRole('link', { name: 'Remove Only app' }).click();
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Remove authenticator app' }).click();
    expect((await response).status()).toBe(409);
    expect(await page.getByRole('alert').textContent()).toMatch(/cannot remove your only one/);
    expect((await stores.factors.list(must.id)).map((f) => f.id)).toEqual([only.id]);
    await expectAccessible(page);
    await screenshot(page, 'account-remove-refused');
  });

  it('adds an authenticator app: QR and key shown, a wrong code refused, the right one confirms it (audited)', async () => {
    const page = await securityPage();
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Add an authenticator app' }).waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessible(page);
    await screenshot(page, 'account-add-totp');
    const wrong = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Code from the app').fill(wrong);
    await page.getByRole('button', { name: 'Add authenticator app' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Code from the app').getAttribute('aria-invalid')).toBe('true');
    expect((await server.services.stores.factors.list(user.id)).map((f) => f.name)).not.toContain('Tablet');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByLabel('Name', { exact: true }).fill('Tablet');
    await page.getByRole('button', { name: 'Add authenticator app' }).click();
    await page.getByText('The authenticator app was added.').waitFor();
    expect(await page.locator('.factor-name').allTextContents()).toContain('Tablet');
    const added = (await server.services.stores.factors.list(user.id)).find((f) => f.name === 'Tablet')!;
    expect(added).toMatchObject({ kind: 'totp', confirmed: true });
    const [event] = await server.services.stores.auditLog.list('mfa.totp.enrol', 1);
    expect(event).toMatchObject({ subject: user.id, outcome: 'success', clientId: 'gatehouse-account' });
    expect(JSON.stringify(event!.details)).not.toContain(secret);
  });

  it('gives a first authenticator app its recovery codes, shown once', async () => {
    const fresh = await createUser(server, { email: 'fresh@example.com', password: 'fresh-password-1' });
    const page = await securityPage(fresh, 1280, false);
    expect(await page.getByText(/not added an authenticator app or a passkey yet/).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'account-security-empty');
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Add authenticator app' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = (await page.locator('.code-list code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/10 unused recovery codes left/);
    expect((await server.services.stores.recoveryCodes.use(fresh.id, codes[3]!)).ok).toBe(true);
  });

  it('signs out', async () => {
    const page = await securityPage();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /^sign out/i }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.goto(`${server.issuer}/account/security`);
    expect(await page.getByLabel(/password/i).count()).toBe(1);
  });
});
