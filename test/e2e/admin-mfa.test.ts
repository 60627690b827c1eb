// Admin console, multi-factor parts, in real Chromium: a user's page lists
// their factors and recovery codes left; an admin requires MFA for the user,
// removes one factor, and resets the rest after a confirmation page; the
// user form and the client form carry the MFA checkboxes. Every page is
// checked with axe (0 violations) and screenshotted, also at 390 px wide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const USER = { email: 'lost.phone@example.com', password: 'user-password-1' };
const CONSOLE = 'gatehouse-admin-console';

describe('admin console: multi-factor', () => {
  const server = useServer({ backend: 'postgres' });
  let browser: Browser;
  let adminId: string;
  let userId: string;
  const contexts: BrowserContext[] = [];
  const stores = () => server.services.stores;
  const latest = async (type: string) => (await stores().auditLog.list(type, 1))[0];

  const adminPage = async (viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.issuer}/admin`);
    await page.getByLabel(/email/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(`${server.issuer}/admin/clients`);
    return page;
  };
  const accessible = async (page: Page) => expect(await axeViolations(page)).toEqual([]);

  beforeAll(async () => {
    adminId = (await stores().users.create({ ...ADMIN, name: 'Ada Admin', roles: ['admin'] })).id;
    userId = (await stores().users.create({ ...USER, name: 'Lou Lost' })).id;
    // Setup straight into the stores: a confirmed TOTP factor, a synced passkey, ten recovery codes.
    const totp = await stores().factors.addTotp(userId, 'Old phone', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await stores().factors.acceptTotpStep(userId, totp.id, 7);
    await stores().factors.addPasskey(userId, 'MacBook', {
      credentialId: 'ZTJlLXBhc3NrZXktY3JlZGVudGlhbC1pZA', publicKey: 'pQECAyYgASFYIe2ePublicKey', signCount: 0,
      transports: ['internal', 'hybrid'], deviceType: 'multiDevice', backedUp: true, aaguid: null,
    });
    await stores().recoveryCodes.replace(userId, Array.from({ length: 10 }, (_, i) => `e2e-code-${i}`));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
  });

  it('shows a user’s factors, requires MFA, removes one factor and resets the rest after confirming', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: USER.email }).click();
    await page.getByRole('heading', { name: USER.email }).waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/Old phone\s*Authenticator app/);
    expect(await rows.nth(1).textContent()).toMatch(/MacBook\s*ZTJlLXBh…\s*Passkey\s*Synced · internal, hybrid/);
    expect(await page.locator('#recovery-codes').textContent()).toMatch(/Recovery codes remaining: 10/);
    const html = await page.content();
    for (const secret of ['JBSWY3DP', 'ZTJlLXBhc3NrZXktY3JlZGVudGlhbC1pZA', 'e2ePublicKey', 'e2e-code-1']) expect(html).not.toContain(secret);
    await accessible(page);
    await screenshot(page, 'admin-user-mfa');

    await page.getByLabel('Require multi-factor sign-in').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Multi-factor sign-in is now required for this user.').waitFor();
    expect(await page.getByLabel('Require multi-factor sign-in').isChecked()).toBe(true);
    expect((await stores().users.findById(userId))!.mfaRequired).toBe(true);
    expect(await latest('admin.user.update')).toMatchObject({
      subject: adminId, clientId: CONSOLE, details: { via: 'console', object_id: userId, fields: ['mfa_required'], mfa_required: true },
    });

    await page.getByRole('button', { name: 'Remove authenticator app Old phone' }).click();
    await page.getByText('The factor was removed.').waitFor();
    expect(await rows.count()).toBe(1);
    expect(await latest('admin.user.mfa_factor_remove')).toMatchObject({
      subject: adminId, clientId: CONSOLE, details: { via: 'console', object_id: userId, kind: 'totp' },
    });

    await page.getByRole('link', { name: 'Reset multi-factor…' }).click();
    await page.getByRole('heading', { name: `Reset multi-factor sign-in for ${USER.email}?` }).waitFor();
    expect(await page.getByRole('note').textContent()).toMatch(/removes 1 factor\(s\) and 10 unused recovery code\(s\)/);
    await accessible(page);
    await screenshot(page, 'admin-user-mfa-reset');
    // Cancel changes nothing; the reset happens only on the confirmation's button.
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(await stores().factors.list(userId)).toHaveLength(1);
    await page.getByRole('link', { name: 'Reset multi-factor…' }).click();
    await page.getByRole('button', { name: 'Reset multi-factor' }).click();
    await page.getByText(/Multi-factor sign-in was reset/).waitFor();
    expect(await page.getByText('No second factor enrolled.').count()).toBe(1);
    expect(await page.locator('#recovery-codes').textContent()).toMatch(/Recovery codes remaining: 0/);
    expect(await stores().factors.list(userId, { pending: true })).toEqual([]);
    expect(await stores().recoveryCodes.remaining(userId)).toBe(0);
    expect(await latest('admin.user.mfa_reset')).toMatchObject({
      subject: adminId, clientId: CONSOLE, details: { via: 'console', object_id: userId, factors_removed: 1, recovery_codes_removed: 10 },
    });
    await accessible(page);
    await screenshot(page, 'admin-user-mfa-after-reset');
  });

  it('fits a 390 px screen: the user page scrolls down, not sideways', async () => {
    await stores().factors.addPasskey(userId, 'A security key with a rather long name', {
      credentialId: 'bmFycm93LXNjcmVlbi1jcmVkZW50aWFs', publicKey: 'pQECAyYgASFYInarrowKey', signCount: 1,
      transports: ['usb'], deviceType: 'singleDevice', backedUp: false, aaguid: null,
    });
    const page = await adminPage({ width: 390, height: 844 });
    await page.goto(`${server.issuer}/admin/users/${userId}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await accessible(page);
    await screenshot(page, 'admin-user-mfa-390');
  });

  it('creates a user who must use MFA, and a client that requires it, from the forms', async () => {
    const page = await adminPage();
    await page.goto(`${server.issuer}/admin/users/new`);
    await page.getByLabel('Email address', { exact: true }).fill('strict@example.com');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByLabel('Require multi-factor sign-in').check();
    await accessible(page);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('The user was created.').waitFor();
    expect((await stores().users.findByEmail('strict@example.com'))!.mfaRequired).toBe(true);
    expect(await page.getByText('MFA required').count()).toBeGreaterThanOrEqual(1);
    await accessible(page);

    await page.goto(`${server.issuer}/admin/clients/new`);
    await page.getByLabel('Name').fill('Payroll');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('https://payroll.example/cb');
    await page.getByLabel(/Require multi-factor sign-in for every user/).check();
    await accessible(page);
    await page.getByRole('button', { name: 'Create client' }).click();
    const clientId = (await page.locator('#client-id').textContent())!.trim();
    expect((await stores().clients.get(clientId))!.metadata.require_mfa).toBe(true);
    await page.goto(`${server.issuer}/admin/clients/${clientId}`);
    expect(await page.getByLabel(/Require multi-factor sign-in for every user/).isChecked()).toBe(true);
    await page.getByLabel(/Require multi-factor sign-in for every user/).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    expect((await stores().clients.get(clientId))!.metadata.require_mfa).toBe(false);
    await screenshot(page, 'admin-client-require-mfa');
  });

  it('answers an unknown user with a page, and refuses a reset without a valid CSRF token', async () => {
    const page = await adminPage();
    const missing = await page.goto(`${server.issuer}/admin/users/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    expect(await page.content()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const before = await stores().factors.list(userId);
    expect(before.length).toBeGreaterThan(0);
    const forged = await page.request.post(`${server.issuer}/admin/users/${userId}/mfa-reset`, { form: { _csrf: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await stores().factors.list(userId)).toHaveLength(before.length);
  });
});
