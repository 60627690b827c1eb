// Branding by configuration in real Chromium (issue 15, docs/branding.md):
// BRAND_NAME, BRAND_PRIMARY_COLOR (through /static/brand.css), a logo from
// the theme folder, footer links, a theme view and partial override and
// theme.css; an external logo adds only its origin to the CSP, which never
// gains 'unsafe-inline'. Screenshots are the artifact.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';

const theme = mkdtempSync(join(tmpdir(), 'gatehouse-theme-'));
mkdirSync(join(theme, 'views/partials'), { recursive: true });
mkdirSync(join(theme, 'css'));
mkdirSync(join(theme, 'img'));
writeFileSync(join(theme, 'img/acme.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b6e4f"/></svg>');
writeFileSync(join(theme, 'css/theme.css'), '.brand-name { letter-spacing: 3px; }\n');
// A top-level view and a partial: both take precedence over the built-in ones.
writeFileSync(join(theme, 'views/device-code.ejs'),
  "<%- include('partials/head', { title: t('device.code.title') }) %>\n<h1 class=\"card-title\">Acme device set-up</h1>\n<%- formHtml %>\n<%- include('partials/foot') %>\n");
writeFileSync(join(theme, 'views/partials/icon.ejs'), '<div class="status-icon acme-icon" aria-hidden="true"></div>\n');

const BRAND = {
  BRAND_NAME: 'Acme ID', BRAND_PRIMARY_COLOR: '#0b6e4f', BRAND_LOGO_URL: 'img/acme.svg', THEME_DIR: theme,
  SUPPORT_URL: 'https://help.acme.example/', PRIVACY_URL: 'https://acme.example/privacy', TERMS_URL: 'https://acme.example/terms',
};

describe('branding without editing templates', () => {
  const server = useServer({ backend: 'postgres', env: BRAND });
  let browser: Browser;
  let page: Page;
  let rp: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    const c = await server.services.stores.clients.create({ name: 'Photo Album', redirectUris: [`${rpServer.base}/a`], scope: 'openid profile email' });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/a`);
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
    rmSync(theme, { recursive: true, force: true });
  });

  it('shows the name, colour, logo and footer links on the sign-in page', async () => {
    const flow = await rp.start();
    const res = await page.goto(flow.url.href, { waitUntil: 'load' });
    expect(await page.title()).toBe('Sign in · Acme ID');
    expect(await page.locator('.brand-name').textContent()).toBe('Acme ID');
    expect(await page.locator('.site-footer').textContent()).toMatch(/Secured by Acme ID/);
    const button = page.getByRole('button', { name: 'Sign in', exact: true });
    expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(11, 110, 79)');
    const logo = page.locator('img.brand-logo');
    expect(await logo.getAttribute('src')).toBe('/theme/img/acme.svg');
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const links = page.getByRole('navigation', { name: 'Help and legal' }).getByRole('link');
    expect(await links.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['Help', BRAND.SUPPORT_URL], ['Privacy', BRAND.PRIVACY_URL], ['Terms', BRAND.TERMS_URL],
    ]);
    // theme.css is linked after the built-in CSS.
    expect(await page.locator('.brand-name').evaluate((e) => getComputedStyle(e).letterSpacing)).toBe('3px');
    const csp = res!.headers()['content-security-policy']!;
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(csp).toMatch(/img-src 'self' data:;/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'branding-login');
  });

  it('serves brand.css and the theme assets, never the theme views', async () => {
    const css = await fetch(`${server.issuer}/static/brand.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect(await css.text()).toMatch(/--accent: #0b6e4f;/);
    expect((await fetch(`${server.issuer}/theme/css/theme.css`)).status).toBe(200);
    expect((await fetch(`${server.issuer}/theme/views/device-code.ejs`)).status).toBe(404);
  });

  it('uses the theme folder views and partials instead of the built-in ones', async () => {
    await page.goto(`${server.issuer}/device`);
    await page.getByRole('heading', { name: 'Acme device set-up' }).waitFor();
    expect(await page.locator('.brand-name').textContent()).toBe('Acme ID');
    await screenshot(page, 'branding-theme-device');
    const res = await page.goto(`${server.issuer}/no-such-page`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('.acme-icon').count()).toBe(1);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  it('allows an external logo origin in img-src, and only it', async () => {
    const other = await server.startAnother({ BRAND_LOGO_URL: 'https://cdn.acme.example/logo.svg' });
    const res = await fetch(`${other.issuer}/device`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/img-src 'self' data: https:\/\/cdn\.acme\.example;/);
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(await res.text()).toMatch(/src="https:\/\/cdn\.acme\.example\/logo\.svg"/);
  });
});
