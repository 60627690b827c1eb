// "Add a passkey" on /account/security in real Chromium with its CDP virtual
// authenticator (WebAuthn.addVirtualAuthenticator), on a Gatehouse whose
// issuer is http://localhost:<port> (a WebAuthn RP id must be a domain). The
// ceremony itself is the passkeys helper's (src/mfa/passkeys.ts, tested in
// mfa-passkeys.test.ts); this checks the account page's wiring: the script's
// JSON endpoints, the CSRF header, first recovery codes, the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createUser } from '../helpers/builders.js';

describe('adding a passkey on the account page (issuer http://localhost)', () => {
  const server = useServer({ backend: 'postgres', issuerHost: 'localhost' });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let user: { id: string; email: string; password: string };

  const authenticator = async (synced: boolean) =>
    (await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
        ...(synced ? { defaultBackupEligibility: true, defaultBackupState: true } : {}),
      },
    })).authenticatorId;

  beforeAll(async () => {
    user = await createUser(server, { email: 'pk@example.com', password: 'pk-password-1', name: 'Pat' });
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    // Signed in once through the login page (no factor yet, so no second step).
    await page.goto(`${server.issuer}/account/security`);
    await page.getByLabel(/email/i).fill(user.email);
    await page.getByLabel(/password/i).fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${server.issuer}/account/security`);
  });
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
  });

  it('registers a first passkey, shows the first recovery codes once, and lists it as synced (audited)', async () => {
    const first = await authenticator(true);
    await page.getByRole('link', { name: 'Add a passkey' }).click();
    await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
    await page.getByRole('button', { name: 'Register a passkey' }).waitFor(); // shown once the script found WebAuthn
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'account-add-passkey');
    await page.getByLabel('Name for this passkey (optional)').fill('Laptop');
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = (await page.locator('.code-list code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    const item = page.getByRole('list', { name: 'Your sign-in methods' }).getByRole('listitem');
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toMatch(/Laptop\s+Passkey[\s\S]*Synced across your devices/);
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/10 unused recovery codes left/);
    const [factor] = await server.services.stores.factors.list(user.id);
    expect(factor).toMatchObject({ kind: 'passkey', name: 'Laptop', passkey: { backedUp: true } });
    const [event] = await server.services.stores.auditLog.list('mfa.passkey.enrol', 1);
    expect(event).toMatchObject({ subject: user.id, outcome: 'success', clientId: 'gatehouse-account', details: { factorId: factor!.id } });
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
  });

  it('adds a second, device-bound passkey without new codes', async () => {
    await authenticator(false);
    await page.goto(`${server.issuer}/account/security/passkeys`);
    await page.getByLabel('Name for this passkey (optional)').fill('Security key');
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    await page.getByText('The passkey was added.').waitFor();
    expect(await page.locator('.factor').nth(1).textContent()).toMatch(/Security key[\s\S]*On this device only/);
    await screenshot(page, 'account-passkeys');
  });

  it('refuses the JSON endpoints without the CSRF header or without a ticket', async () => {
    await page.goto(`${server.issuer}/account/security/passkeys`);
    const csrf = await page.locator('[data-passkey]').getAttribute('data-csrf');
    const noHeader = await page.request.post(`${server.issuer}/account/security/passkeys/options`, { data: {} });
    expect(noHeader.status()).toBe(403);
    const noTicket = await page.request.post(`${server.issuer}/account/security/passkeys/verify`, {
      data: { response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }, headers: { 'x-csrf-token': csrf! },
    });
    expect(noTicket.status()).toBe(400);
    expect(await noTicket.json()).toMatchObject({ error_description: expect.stringMatching(/expired|could not be verified/) });
    expect(await server.services.stores.factors.list(user.id)).toHaveLength(2);
  });
});
