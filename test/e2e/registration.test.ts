// Self-registration and email verification in real Chromium, with a real
// SMTP server (test/helpers/smtp.ts) and openid-client as the relying party:
// register → the mail arrives → the link, opened in the same browser, asks
// for a click → the new account is signed in at the relying party
// (email_verified true at userinfo). Also: the domain allow-list, a
// common password, an address that already has an account (same page,
// different mail), used and expired links, a link opened in another browser,
// and registration turned off. Every new page is checked with axe.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { useServer } from '../helpers/fixture.js';
import { useSmtp } from '../helpers/smtp.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';

const ADA = { email: 'ada@example.com', password: 'correct horse battery staple' };
const NEW_PASSWORD = 'a brand new long passphrase';

describe('self-registration with email verification', () => {
  const smtp = useSmtp();
  const server = useServer({
    backend: 'postgres',
    env: { SELF_REGISTRATION: 'true', REGISTRATION_EMAIL_DOMAINS: 'example.com, example.org', get SMTP_URL() { return smtp.url; } },
  });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rp: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  let usedLink = '';

  const checked = async (name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, name);
  };
  const openRegistration = async () => {
    const flow = await rp.start();
    await page.goto(flow.url.href);
    await page.getByRole('link', { name: /create an account/i }).click();
    await page.getByRole('heading', { name: /create an account/i }).waitFor();
    return flow;
  };
  const register = async (email: string, password = NEW_PASSWORD, name = 'Grace Hopper') => {
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/^name/i).fill(name);
    await page.getByLabel(/^password/i).fill(password);
    await page.getByRole('button', { name: /create account/i }).click();
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ ...ADA, name: 'Ada Lovelace', emailVerified: true });
    const c = await server.services.stores.clients.create({
      name: 'Photo Album', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email', firstParty: true,
    });
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
  });

  it('registers, mails a link, and signs the new account in at the relying party after "Verify"', async () => {
    const flow = await rp.start();
    await page.goto(flow.url.href);
    expect(await page.locator('#register-link').isVisible()).toBe(true);
    await page.getByRole('link', { name: /create an account/i }).click();
    expect(page.url()).toMatch(/\/interaction\/[\w-]+\/register$/);
    expect(await page.getByLabel(/email/i).getAttribute('autocomplete')).toBe('email');
    expect(await page.getByLabel(/^password/i).getAttribute('autocomplete')).toBe('new-password');
    await checked('register');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'register-390');

    await register('grace@example.com');
    await page.getByRole('heading', { name: /check your email/i }).waitFor();
    expect(await page.locator('#check-email-message').textContent()).toContain('grace@example.com');
    await checked('register-check-email');

    const [mail] = await smtp.waitFor('grace@example.com');
    expect(mail!.subject).toBe('Verify your email address for Gatehouse');
    expect(mail!.text).toMatch(/Hello Grace Hopper,/);
    expect(mail!.html).toContain('Verify my email');
    const link = mail!.links.find((l) => l.includes('/email/verify'))!;
    expect(link.startsWith(`${server.issuer}/email/verify?token=`)).toBe(true);
    const user = await server.services.stores.users.findByEmail('grace@example.com');
    expect(user).toMatchObject({ name: 'Grace Hopper', emailVerified: false });

    // Opening the link (what a mail scanner does) spends nothing: the button does.
    await page.goto(link);
    await page.getByRole('heading', { name: /verify your email address/i }).waitFor();
    await checked('email-verify');
    expect((await server.services.stores.users.findById(user!.id))!.emailVerified).toBe(false);
    await page.getByRole('button', { name: /verify my email/i }).click();
    await page.waitForURL(`${rpServer.base}/**`);
    const tokens = await flow.redeem(page.url());
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user!.id);
    expect(claims.amr).toEqual(['pwd']);
    expect(await oidc.fetchUserInfo(rp.config, tokens.access_token, claims.sub)).toMatchObject({ email: 'grace@example.com', email_verified: true });
    usedLink = link;

    const events = await server.services.stores.auditLog.list(undefined, 50);
    const types = events.filter((e) => e.subject === user!.id).map((e) => `${e.type}:${e.outcome}`);
    expect(types).toEqual(expect.arrayContaining(['registration.create:success', 'email.verify_sent:success', 'email.verify:success']));
    const token = new URL(link).searchParams.get('token')!;
    expect(JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })))).not.toContain(token.split('.')[0]);
  });

  it('says a used link has expired or was used, and offers a new one', async () => {
    await page.goto(usedLink);
    expect(await page.getByRole('alert').textContent()).toContain('This link has expired or was already used. Ask for a new one.');
    await checked('email-link-invalid');
    await page.getByRole('link', { name: /get a new link/i }).click();
    await page.getByRole('heading', { name: /get a new verification link/i }).waitFor();
    await checked('email-resend');
    await page.getByLabel(/email/i).fill('nobody@example.com');
    await page.getByRole('button', { name: /send a new link/i }).click();
    expect(await page.locator('#resend-sent').textContent()).toMatch(/If this address belongs to an account/);
    await checked('email-resend-sent');
  });

  it('refuses an expired link with the same plain page', async () => {
    const user = await server.services.stores.users.create({ email: 'late@example.com', password: NEW_PASSWORD });
    const { token } = await server.services.stores.userTokens.issue(user.id, 'verify-email', user.email, -60);
    const res = await page.goto(`${server.issuer}/email/verify?token=${token}`);
    expect(res!.status()).toBe(410);
    expect(await page.getByRole('alert').textContent()).toContain('This link has expired or was already used.');
  });

  it('refuses an address outside the allowed domains, and a common password, with clear messages', async () => {
    await openRegistration();
    expect(await page.locator('#domains-note').textContent()).toContain('example.com, example.org');
    await register('mallory@elsewhere.test');
    expect(await page.getByRole('alert').textContent()).toContain('Accounts can only be created with an email address at: example.com, example.org.');
    expect(await page.getByLabel(/email/i).getAttribute('aria-invalid')).toBe('true');
    await checked('register-domain-refused');
    await register('mallory@example.org', 'password');
    expect(await page.getByRole('alert').textContent()).toContain('This password is too common');
    await checked('register-password-refused');
    expect(await server.services.stores.users.findByEmail('mallory@elsewhere.test')).toBeNull();
    expect(await server.services.stores.users.findByEmail('mallory@example.org')).toBeNull();
  });

  it('answers an address that already has an account with the same page, and mails its owner a notice', async () => {
    await openRegistration();
    await register(ADA.email, 'some other long password');
    await page.getByRole('heading', { name: /check your email/i }).waitFor();
    const html = await page.locator('main').innerHTML();
    expect(html.replace(ADA.email, 'X')).toContain('We have sent a message to X.');
    const [notice] = await smtp.waitFor(ADA.email);
    expect(notice!.subject).toBe('Someone tried to create a Gatehouse account with your address');
    expect(notice!.text).toMatch(/sign in with your existing account/);
    expect(notice!.links.some((l) => l.includes('/email/verify'))).toBe(false);
    // The password of the existing account is untouched.
    expect((await server.services.services.login({ email: ADA.email, password: ADA.password, ip: '10.9.9.9', clientId: 'x' })).user?.email).toBe(ADA.email);
  });

  it('verifies a link opened in another browser, which then says to sign in', async () => {
    await openRegistration();
    await register('linus@example.com');
    const [mail] = await smtp.waitFor('linus@example.com');
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(mail!.links.find((l) => l.includes('/email/verify'))!);
    await otherPage.getByRole('button', { name: /verify my email/i }).click();
    await otherPage.getByRole('heading', { name: /email verified/i }).waitFor();
    expect(await otherPage.locator('#page-message').textContent()).toContain('You can now sign in.');
    page = otherPage;
    await checked('email-verified');
    await other.close();
    expect((await server.services.stores.users.findByEmail('linus@example.com'))!.emailVerified).toBe(true);
  });

  it('says plainly that the email could not be sent when SMTP is down (503), keeping the account', async () => {
    const down = await server.startAnother({ SMTP_URL: 'smtp://127.0.0.1:1' });
    const c = await down.services.stores.clients.create({ name: 'Down', redirectUris: [`${rpServer.base}/down`], scope: 'openid profile email', firstParty: true });
    const downRp = await createRp(down.issuer, c.clientId, c.clientSecret, `${rpServer.base}/down`);
    await page.goto((await downRp.start()).url.href);
    await page.getByRole('link', { name: /create an account/i }).click();
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await register('offline@example.com');
    expect((await response).status()).toBe(503);
    expect(await page.getByRole('alert').textContent()).toContain('We could not send the email right now.');
    await checked('email-unavailable');
    expect(await page.getByRole('link', { name: /get a new link/i }).getAttribute('href')).toBe('/email/resend');
    expect(await down.services.stores.users.findByEmail('offline@example.com')).not.toBeNull();
  });

  it('has no link and no page when SELF_REGISTRATION is off', async () => {
    const off = await server.startAnother({ SELF_REGISTRATION: 'false' });
    const c = await off.services.stores.clients.create({ name: 'Other', redirectUris: [`${rpServer.base}/off`], scope: 'openid profile email', firstParty: true });
    const offRp = await createRp(off.issuer, c.clientId, c.clientSecret, `${rpServer.base}/off`);
    await page.goto((await offRp.start()).url.href);
    await page.getByRole('heading', { name: /sign in/i }).waitFor();
    expect(await page.locator('#register-link').count()).toBe(0);
    const res = await page.goto(`${page.url()}/register`);
    expect(res!.status()).toBe(404);
    expect(await page.getByRole('alert').textContent()).toMatch(/does not exist/);
  });
});
