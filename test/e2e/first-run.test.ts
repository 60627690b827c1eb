// First run in Chromium (issue 16): a fresh store, the setup URL read from the
// start-up log, the first admin created in the browser, a sign-in to the
// console as that admin; the URL then refuses; `/` shows the links. Every
// page passes axe at 1280 and 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { captureLog, setupUrls } from '../helpers/log-lines.js';

const ADMIN = { email: 'first@example.com', name: 'Fiona First', password: 'a long first-run passphrase' };
const WIDTHS = [1280, 390];

describe('first run', () => {
  const log = captureLog();
  const server = useServer({ backend: 'postgres', logger: log.logger });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function checkPage(page: Page, name: string) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      // No horizontal scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await screenshot(page, `${name}-${width}`);
    }
  }

  it('creates the first admin from the logged setup URL, signs in to the console, then refuses the URL', async () => {
    // Before setup, `/` says where the setup URL is, without showing it.
    const before = await browser.newPage();
    await before.goto(`${server.issuer}/`);
    expect(await before.locator('#welcome-setup-note').count()).toBe(1);
    expect(await before.content()).not.toContain('/setup?token=');
    await checkPage(before, 'welcome-before-setup');
    await before.close();
    const [setupUrl] = setupUrls(log);
    expect(setupUrl).toMatch(new RegExp(`^${server.issuer}/setup\\?token=`));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(setupUrl!);
    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    await checkPage(page, 'first-run-setup');

    // A password the policy refuses: an inline error, the form stays.
    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.getByLabel('Name (optional)').fill(ADMIN.name);
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBeNull();
    await checkPage(page, 'first-run-setup-error');

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Administrator created' }).waitFor();
    await checkPage(page, 'first-run-created');

    await page.getByRole('link', { name: 'Go to the admin console' }).click();
    await page.getByLabel(/email/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(`${server.issuer}/admin/clients`);
    expect(await page.getByRole('heading', { name: 'Clients' }).count()).toBe(1);

    const [event] = await server.services.stores.auditLog.list('admin.user.create', 1);
    expect(event!.details).toMatchObject({ via: 'setup' });

    await page.goto(setupUrl!);
    await page.getByRole('heading', { name: 'Setup is already done' }).waitFor();
    await checkPage(page, 'first-run-done');
    await context.close();
  });

  it('shows the welcome page at / with the issuer, discovery, JWKS, console and account links', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${server.issuer}/`);
    expect(res!.status()).toBe(200);
    expect((await page.locator('#welcome-issuer').textContent())!.trim()).toBe(server.issuer);
    const discovery = await page.locator('#welcome-discovery').getAttribute('href');
    expect(discovery).toBe(`${server.issuer}/.well-known/openid-configuration`);
    const metadata = await (await fetch(discovery!)).json() as { jwks_uri: string };
    expect(await page.locator('#welcome-jwks').getAttribute('href')).toBe(metadata.jwks_uri);
    expect(await page.locator('#welcome-admin').getAttribute('href')).toBe('/admin');
    expect(await page.locator('#welcome-account').getAttribute('href')).toBe('/account');
    expect(await page.getByText('README.md').count()).toBe(1);
    expect(await page.locator('#welcome-setup-note').count()).toBe(0);
    await checkPage(page, 'welcome');
    await context.close();
  });
});
