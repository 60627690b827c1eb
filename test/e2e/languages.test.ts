// Languages in real Chromium (issue 15): ui_locales=fr renders the sign-in
// and consent pages in French with <html lang="fr">; a browser asking for
// German (Accept-Language from the context locale) gets German sign-in,
// second-factor enrolment and error pages; discovery lists the languages.
// Every page is checked with axe and kept as a screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';

const ADA = { email: 'ada@example.com', password: 'correct horse battery staple' };

describe('pages in the language people ask for', () => {
  const server = useServer({ backend: 'postgres' });
  let browser: Browser;
  let rp: Rp;
  let strict: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;

  const checked = async (page: Page, name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, name);
  };
  const lang = (page: Page) => page.locator('html').getAttribute('lang');

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ ...ADA, name: 'Ada Lovelace', emailVerified: true });
    const mk = async (name: string, path: string, extra: Record<string, unknown> = {}) => {
      const c = await server.services.stores.clients.create({ name, redirectUris: [`${rpServer.base}${path}`], scope: 'openid profile email', extra });
      return createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}${path}`);
    };
    rp = await mk('Photo Album', '/a');
    strict = await mk('Payroll', '/strict', { require_mfa: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
  });

  it('lists the shipped languages in discovery (ui_locales_supported)', async () => {
    const meta = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta.ui_locales_supported).toEqual(['en', 'de', 'fr']);
  });

  it('ui_locales=fr: sign-in, its error and the consent page in French', async () => {
    // The browser itself asks for English: the request's ui_locales wins (OIDC Core §3.1.2.1).
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const flow = await rp.start({ ui_locales: 'fr-CA fr' });
    await page.goto(flow.url.href);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await lang(page)).toBe('fr');
    expect(await page.title()).toBe('Connexion · Gatehouse');
    expect(await page.locator('.card-subtitle').textContent()).toMatch(/pour continuer vers\s+Photo Album/);
    await checked(page, 'lang-fr-login');

    await page.getByLabel('Adresse e-mail').fill(ADA.email);
    await page.getByLabel('Mot de passe').fill('wrong password');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Adresse e-mail ou mot de passe incorrect/);
    await checked(page, 'lang-fr-login-error');

    await page.getByLabel('Mot de passe').fill(ADA.password);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.getByRole('heading', { name: /Photo Album souhaite accéder à votre compte/ }).waitFor();
    expect(await lang(page)).toBe('fr');
    expect(await page.locator('.permissions').textContent()).toMatch(/Votre nom/);
    await checked(page, 'lang-fr-consent');
    await page.getByRole('button', { name: 'Autoriser' }).click();
    await page.waitForURL(`${rpServer.base}/**`);
    expect((await flow.redeem(page.url())).claims()!.sub).toBeTruthy();
    await context.close();
  });

  it('Accept-Language de: sign-in and two-step enrolment in German', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const flow = await strict.start();
    await page.goto(flow.url.href);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await lang(page)).toBe('de');
    await checked(page, 'lang-de-login');
    await page.getByLabel('E-Mail-Adresse').fill(ADA.email);
    await page.getByLabel('Passwort').fill(ADA.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('heading', { name: 'Bestätigung in zwei Schritten einrichten' }).waitFor();
    expect(await lang(page)).toBe('de');
    expect(await page.getByRole('img', { name: /QR-Code/ }).count()).toBe(1);
    await page.getByLabel('Code aus der App').fill('000000');
    await page.getByRole('button', { name: 'Bestätigen und weiter' }).click();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/Dieser Code ist falsch|Zu viele/);
    await checked(page, 'lang-de-mfa-enrol');
    await context.close();
  });

  it('error pages say what happened and what to do, in the asked language, with the details for support', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    // An interaction this browser has no cookie for: an expired sign-in link.
    const res = await page.goto(`${server.issuer}/interaction/abcdefghijklmnop`);
    expect(res?.status()).toBe(400);
    expect(await lang(page)).toBe('de');
    await page.getByRole('heading', { name: 'Dieser Anmeldelink ist abgelaufen' }).waitFor();
    expect(await page.locator('.body-text').textContent()).toMatch(/Kehren Sie zur Anwendung zurück/);
    expect(await page.locator('.details').textContent()).toMatch(/invalid_request/);
    await checked(page, 'lang-de-error-expired');

    // A client that does not exist: oidc-provider's own error page, in French by ui_locales.
    const bad = new URL(`${server.issuer}/auth`);
    bad.search = new URLSearchParams({ client_id: 'nope', response_type: 'code', scope: 'openid', redirect_uri: 'https://x.example/cb', ui_locales: 'fr' }).toString();
    await page.goto(bad.href);
    expect(await lang(page)).toBe('fr');
    await page.getByRole('heading', { name: "Cette application n'est pas reconnue" }).waitFor();
    expect(await page.locator('.details').textContent()).toMatch(/invalid_client/);
    await checked(page, 'lang-fr-error-client');
    await context.close();
  });
});
