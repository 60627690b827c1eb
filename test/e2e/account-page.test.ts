// The account page end to end (issue 15): real Chromium signs in through the
// login page; a name change reaches the id_token and userinfo; an email
// change goes through a real SMTP server, the link and its confirm button,
// and userinfo then has the new address, verified; the password page needs
// the current password and refuses a common one; the sessions page ends
// another browser's SSO session (it must sign in again) and the apps page
// removes an app's access (its refresh token introspects inactive, RFC 7662,
// and consent is asked again). Axe finds nothing; screenshots of each page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'grace-password-1';
let smtp: TestSmtp;
const env: Record<string, string> = {};

describe('account page', () => {
  const server = useServer({ backend: 'postgres', env, prepare: async () => {
    smtp = await startSmtp();
    env.SMTP_URL = smtp.url;
  } });
  let browser: Browser;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  let rp: Rp;
  let a: BrowserContext;
  let page: Page;

  const signIn = async (p: Page) => {
    await p.getByLabel(/email/i).fill(EMAIL);
    await p.getByLabel(/password/i).fill(PASSWORD);
    await p.getByRole('button', { name: /sign in/i }).click();
  };
  /** An authorization at the RP in page `p`; `expect` what Gatehouse shows first, then finish and redeem. */
  const authorize = async (p: Page, extra: Record<string, string> = {}) => {
    const flow = await rp.start(extra);
    await p.goto(flow.url.href);
    return flow;
  };
  const callback = async (p: Page) => {
    await p.waitForURL(`${rpServer.base}/**`);
    return p.url();
  };
  const check = async (p: Page, name: string) => {
    expect(await axeViolations(p)).toEqual([]);
    await screenshot(p, name);
    await p.setViewportSize({ width: 390, height: 844 });
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, `${name}-390`);
    await p.setViewportSize({ width: 1280, height: 900 });
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ email: EMAIL, password: PASSWORD, name: 'Grace Hopper' });
    const c = await server.services.stores.clients.create({ name: 'Notebook', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email offline_access' });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
    a = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await a.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
    await smtp?.close();
  });

  it('changes the name and the email (through the link), and the RP sees both', async () => {
    const flow = await authorize(page);
    await signIn(page);
    await page.getByRole('button', { name: /allow/i }).click();
    await flow.redeem(await callback(page));
    await page.goto(`${server.issuer}/account`); // single sign-on: no password again
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel(/Full name/).fill('Rear Admiral Grace Hopper');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Your name was saved.').waitFor();
    await page.getByLabel('New email address').fill('grace.new@example.com');
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText(/Check your new inbox/).waitFor();
    await check(page, 'account-profile');
    const [mail] = await smtp.waitFor('grace.new@example.com');
    const link = /https?:\/\/\S+\/account\/email\/confirm\?token=[\w.%-]+/.exec(mail!.text)![0];
    await page.goto(link);
    await check(page, 'account-email-confirm');
    await page.getByRole('button', { name: 'Confirm new address' }).click();
    await page.getByText('Your email address was changed and verified.').waitFor();
    const next = await authorize(page);
    const tokens = await next.redeem(await callback(page));
    // The ID token carries profile claims only when no access token is issued
    // (OpenID Connect Core §5.4); here they are read from userinfo.
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info).toMatchObject({ name: 'Rear Admiral Grace Hopper', given_name: 'Grace', family_name: 'Hopper', email: 'grace.new@example.com', email_verified: true });
    expect((await smtp.waitFor(EMAIL))[0]!.text).toContain('grace.new@example.com');
    const types = (await server.services.stores.auditLog.list(undefined, 50)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['account.profile_update', 'account.email_change']));
  });

  it('needs the current password and refuses a common one', async () => {
    await page.goto(`${server.issuer}/account/password`);
    await check(page, 'account-password');
    const fill = async (current: string, next: string) => {
      await page.getByLabel('Current password').fill(current);
      await page.getByLabel('New password', { exact: true }).fill(next);
      await page.getByLabel('New password again').fill(next);
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    await fill('wrong-password', 'a long and fresh passphrase');
    await page.getByRole('alert').getByText(/not your current password/).waitFor();
    await fill(PASSWORD, 'password1234');
    await page.getByRole('alert').getByText(/too common/).waitFor();
    await check(page, 'account-password-error');
  });

  it('ends another browser’s session and removes an app’s access', async () => {
    const b = await browser.newContext();
    const other = await b.newPage();
    const flowB = await authorize(other, { scope: 'openid profile email offline_access', prompt: 'consent' });
    await other.getByLabel(/email/i).fill('grace.new@example.com');
    await other.getByLabel(/password/i).fill(PASSWORD);
    await other.getByRole('button', { name: /sign in/i }).click();
    await other.getByRole('button', { name: /allow/i }).click();
    const tokensB = await flowB.redeem(await callback(other));
    expect(tokensB.refresh_token).toBeTruthy();

    await page.goto(`${server.issuer}/account/sessions`);
    const items = page.locator('li.factor');
    expect(await items.count()).toBe(2);
    await check(page, 'account-sessions');
    await page.locator('li.factor', { hasNot: page.getByText('This browser') }).getByRole('button', { name: /Sign out/ }).click();
    await page.getByText('The session was signed out.').waitFor();
    expect(await page.locator('li.factor').count()).toBe(1);
    await authorize(other);
    await other.getByLabel(/password/i).waitFor(); // the SSO session there is gone
    expect((await server.services.stores.auditLog.list('account.session_revoke', 1)).length).toBe(1);

    await page.goto(`${server.issuer}/account/apps`);
    await page.locator('.factor-name', { hasText: 'Notebook' }).waitFor();
    expect(await page.getByText('gatehouse-account').count()).toBe(0);
    await check(page, 'account-apps');
    await page.getByRole('button', { name: /Remove access/ }).click();
    await page.getByText(/access was removed/).waitFor();
    const introspection = await oidc.tokenIntrospection(rp.config, tokensB.refresh_token!);
    expect(introspection.active).toBe(false);
    await authorize(page);
    await page.getByRole('button', { name: /allow/i }).waitFor(); // consent again
    expect((await server.services.stores.auditLog.list('account.app_remove', 1))[0]).toMatchObject({ outcome: 'success' });
  });
});
