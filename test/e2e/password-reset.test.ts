// Forgot password end to end (issue 15 acceptance): real Chromium, a real
// SMTP server, openid-client as the relying party. A user signed in to an RP
// (refresh token) resets the password from another browser; afterwards the
// old refresh token introspects inactive (RFC 7662 §2.2) and the old
// browser's SSO session is gone. Every new page passes axe and is shot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';
import { introspect, type TestClient } from '../helpers/token-client.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { linkIn, withoutCsrf } from '../helpers/password-forms.js';

const EMAIL = 'grace@example.com';
const OLD = 'old password of grace';
const NEW = 'cobol nanoseconds harvard';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

describe('forgot password in the browser', () => {
  const server = useServer({ backend: 'postgres', env: { get SMTP_URL() { return smtp.url; } } as Record<string, string> });
  let browser: Browser;
  let rp: Rp;
  let client: TestClient;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;

  const checked = async (page: Page, name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, name);
  };
  const signIn = async (page: Page, password: string) => {
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const callback = async (page: Page) => {
    await page.waitForURL(`${rpServer.base}/**`);
    return page.url();
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ email: EMAIL, password: OLD, name: 'Grace Hopper', emailVerified: true });
    const c = await server.services.stores.clients.create({
      name: 'Ship Log', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email offline_access', firstParty: true,
    });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
  });

  it('reset from another browser: old refresh token inactive, old SSO session gone, back to the same sign-in', async () => {
    // Browser A signs in to the RP and gets a refresh token.
    const a = await (await browser.newContext()).newPage();
    const first = await rp.start({ scope: 'openid offline_access' });
    await a.goto(first.url.href);
    await signIn(a, OLD);
    const tokens = await first.redeem(await callback(a));
    expect(tokens.refresh_token).toBeTruthy();
    expect(await introspect(server.issuer, client, tokens.refresh_token!)).toMatchObject({ active: true });

    // Browser B forgets the password in the middle of a sign-in.
    const b = await (await browser.newContext()).newPage();
    const second = await rp.start();
    await b.goto(second.url.href);
    const signInUrl = b.url();
    await checked(b, 'login-forgot-link');
    await b.getByRole('link', { name: 'Forgot password?' }).click();
    expect(b.url()).toBe(`${signInUrl}/forgot`);
    await checked(b, 'password-forgot');
    await b.getByLabel('Email address').fill(EMAIL);
    await b.getByRole('button', { name: 'Send the link' }).click();
    await b.getByRole('heading', { name: 'Check your email' }).waitFor();
    await checked(b, 'password-forgot-sent');

    const link = linkIn((await smtp.waitFor(EMAIL))[0]!.text);
    await b.goto(link);
    await checked(b, 'password-reset-form');
    await b.getByLabel('New password').fill('password1234');
    await b.getByRole('button', { name: 'Set the new password' }).click();
    expect(await b.getByRole('alert').textContent()).toContain('This password is too common and easy to guess. Please choose another.');
    await checked(b, 'password-reset-refused');
    await b.getByLabel('New password').fill(NEW);
    await b.getByRole('button', { name: 'Set the new password' }).click();
    await b.getByRole('heading', { name: 'Password changed' }).waitFor();
    await checked(b, 'password-reset-done');

    // The old refresh token is dead; browser A's session is gone.
    expect(await introspect(server.issuer, client, tokens.refresh_token!)).toEqual({ active: false });
    await a.goto((await rp.start()).url.href);
    await a.getByLabel('Password', { exact: true }).waitFor();
    expect(a.url()).toMatch(/\/interaction\//);
    const [notice] = (await smtp.waitFor(EMAIL, 2)).slice(1);
    expect(notice!.subject).toBe('Your password was changed');

    // B continues the sign-in it started, with the new password.
    await b.getByRole('link', { name: 'Continue to sign in' }).click();
    expect(b.url()).toBe(signInUrl);
    await signIn(b, NEW);
    expect((await second.redeem(await callback(b))).claims()!.sub).toBe(tokens.claims()!.sub);

    // The link worked once.
    await b.goto(link);
    expect(await b.getByRole('alert').textContent()).toContain('This link has expired or was already used. Ask for a new one.');
    await checked(b, 'password-reset-expired');
    await b.getByRole('link', { name: 'Ask for a new link' }).click();
    expect(new URL(b.url()).pathname).toBe('/password/forgot');
  });

  it('an unknown address gets the same page and no mail; the forms fit 390 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const sent = async (email: string) => {
      await page.goto(`${server.issuer}/password/forgot`);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      return withoutCsrf(await page.content());
    };
    const before = smtp.messages.length;
    const unknown = await sent('nobody@example.com');
    await checked(page, 'password-forgot-sent-390');
    expect(await sent(EMAIL)).toBe(unknown);
    await smtp.waitFor(EMAIL, 3);
    await server.services.services.passwordReset.drain();
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([[EMAIL]]);
    await page.goto(`${server.issuer}/password/forgot`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checked(page, 'password-forgot-390');
  });

  it('too many requests from one IP: 429 with Retry-After and a page that says so', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.issuer}/password/forgot`);
    const csrf = await page.locator('input[name=_csrf]').getAttribute('value');
    let status = 200;
    for (let i = 0; i < 25 && status !== 429; i++) {
      status = (await page.request.post(`${server.issuer}/password/forgot`, { form: { _csrf: csrf!, email: `flood${i}@example.com` } })).status();
    }
    expect(status).toBe(429);
    await page.getByLabel('Email address').fill('flood-last@example.com');
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Send the link' }).click()]);
    expect(response.status()).toBe(429);
    expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Too many requests' }).waitFor();
    await checked(page, 'password-forgot-limited');
  });
});
