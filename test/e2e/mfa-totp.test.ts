// Two-step sign-in in real Chromium (MFA_POLICY=optional): a client with
// require_mfa walks a user without a factor through enrolment (the test reads
// the key from the page and computes codes with otpauth), then the
// authenticator is asked at every sign-in; wrong and replayed codes are
// refused; a recovery code works once and the page says how many remain;
// acr_values on a password-only SSO session asks only the second factor.
// id_tokens are verified by openid-client; every new page is checked with axe.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';
import { ACR_MFA, ACR_PASSWORD } from '../../src/mfa/mfa-policy.js';

const ADA = { email: 'ada@example.com', password: 'correct horse battery staple' };
const DORA = { email: 'dora@example.com', password: 'another long passphrase' };
const codeAt = (secret: string, ms: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

describe('two-step sign-in with an authenticator app', () => {
  const server = useServer({ backend: 'postgres' });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rp: Rp;
  let strict: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  let secret = '';
  let recoveryCodes: string[] = [];
  let lastCode = '';

  const callback = async () => {
    await page.waitForURL(`${rpServer.base}/**`);
    return page.url();
  };
  const password = async (user = ADA) => {
    await page.getByLabel(/email/i).fill(user.email);
    await page.getByLabel(/password/i).fill(user.password);
    await page.getByRole('button', { name: /sign in/i }).click();
  };
  const checked = async (name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, name);
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ ...ADA, name: 'Ada Lovelace', emailVerified: true });
    await server.services.stores.users.create({ ...DORA, name: 'Dora', emailVerified: true });
    const mk = async (name: string, path: string, extra: Record<string, unknown> = {}) => {
      const c = await server.services.stores.clients.create({
        name, redirectUris: [`${rpServer.base}${path}`], scope: 'openid profile email', firstParty: true, extra,
      });
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
  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext();
    page = await context.newPage();
  });

  it('lists the acr values in discovery', async () => {
    const meta = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
    expect(meta.acr_values_supported).toEqual([ACR_PASSWORD, ACR_MFA]);
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['acr', 'amr']));
  });

  it('walks a user without a factor through enrolment for a require_mfa client; the id_token says otp and mfa', async () => {
    const flow = await strict.start();
    await page.goto(flow.url.href);
    await password();
    await page.getByRole('heading', { name: /set up two-step verification/i }).waitFor();
    expect(page.url()).toMatch(/\/interaction\/[\w-]+\/mfa\/enrol$/);
    expect(await page.getByRole('img', { name: /QR code/i }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await checked('mfa-enrol');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'mfa-enrol-390');
    secret = (await page.locator('#totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel(/code from the app/i).fill('000000' === codeAt(secret, Date.now()) ? '111111' : '000000');
    await page.getByRole('button', { name: /confirm/i }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/not correct/);
    await checked('mfa-enrol-error');

    lastCode = codeAt(secret, Date.now());
    await page.getByLabel(/code from the app/i).fill(lastCode);
    await page.getByRole('button', { name: /confirm/i }).click();
    await page.getByRole('heading', { name: /save your recovery codes/i }).waitFor();
    recoveryCodes = await page.locator('.code-list code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    await checked('mfa-recovery-codes');
    await page.getByRole('button', { name: /continue/i }).click();

    const claims = (await flow.redeem(await callback())).claims()!;
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('asks for the code at the next sign-in, refuses a wrong one and a replayed one', async () => {
    const flow = await rp.start();
    await page.goto(flow.url.href);
    await password();
    const code = page.getByLabel(/authenticator code/i);
    await code.waitFor();
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await checked('mfa-challenge');

    await code.fill(lastCode); // accepted at enrolment: a replay
    await page.getByRole('button', { name: /verify/i }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/already used/);
    await code.fill(lastCode === '123456' ? '654321' : '123456');
    await page.getByRole('button', { name: /verify/i }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/not correct/);
    await checked('mfa-challenge-error');

    // The next time step's code (within the ±1 window), so that it is fresh.
    lastCode = codeAt(secret, Date.now() + 30_000);
    await code.fill(lastCode);
    await page.getByRole('button', { name: /verify/i }).click();
    const claims = (await flow.redeem(await callback())).claims()!;
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('accepts a recovery code exactly once and says how many remain', async () => {
    const use = async () => {
      await page.goto((await rp.start()).url.href);
      await password();
      await page.getByLabel(/recovery code/i).fill(recoveryCodes[0]!.toUpperCase());
      await page.getByRole('button', { name: /use recovery code/i }).click();
    };
    await use();
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/You have 9 recovery codes left/);
    await checked('mfa-recovery-used');
    await page.getByRole('button', { name: /continue/i }).click();
    expect(new URL(await callback()).searchParams.get('code')).toMatch(/^[\w-]{43}$/);

    await context.close();
    context = await browser.newContext();
    page = await context.newPage();
    await use();
    expect(await page.getByRole('alert').textContent()).toMatch(/not correct or was already used/);
    await checked('mfa-recovery-refused');
  });

  it('asks only the second factor when acr_values asks for MFA on a password-only session', async () => {
    const first = await rp.start();
    await page.goto(first.url.href);
    await password(DORA);
    const pwdOnly = (await first.redeem(await callback())).claims()!;
    expect(pwdOnly.amr).toEqual(['pwd']);
    expect(pwdOnly.acr).toBe(ACR_PASSWORD);

    // Dora sets up an authenticator (the account page's job; here through the store).
    const { factors } = server.services.stores;
    const doraSecret = new OTPAuth.Secret({ size: 20 }).base32;
    const f = await factors.addTotp(pwdOnly.sub, 'phone', doraSecret);
    await factors.acceptTotpStep(pwdOnly.sub, f.id, 1);

    const stepUp = await rp.start({ acr_values: ACR_MFA });
    await page.goto(stepUp.url.href);
    await page.getByLabel(/authenticator code/i).waitFor();
    expect(await page.getByLabel(/password/i).count()).toBe(0);
    await screenshot(page, 'mfa-step-up');
    await page.getByLabel(/authenticator code/i).fill(codeAt(doraSecret, Date.now()));
    await page.getByRole('button', { name: /verify/i }).click();
    const claims = (await stepUp.redeem(await callback())).claims()!;
    expect(claims.sub).toBe(pwdOnly.sub);
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);

    // The session now has the MFA acr: the require_mfa client signs in without any page.
    const sso = await strict.start();
    await page.goto(sso.url.href);
    expect((await sso.redeem(await callback())).claims()!.acr).toBe(ACR_MFA);
  });

  it('asks for the password, then the code, when max_age has passed', async () => {
    await page.goto((await rp.start()).url.href);
    await password();
    // A recovery code: the authenticator's fresh codes were used by the tests above.
    await page.getByLabel(/recovery code/i).fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: /use recovery code/i }).click();
    expect(await page.locator('#recovery-remaining').textContent()).toMatch(/You have 8 recovery codes left/);
    await page.getByRole('button', { name: /continue/i }).click();
    await callback();
    // max_age=0: the MFA session is too old, so both factors are asked again.
    const again = await rp.start({ max_age: '0', acr_values: ACR_MFA });
    await page.goto(again.url.href);
    await page.getByLabel(/password/i).waitFor();
    await password();
    await page.getByLabel(/recovery code/i).fill(recoveryCodes[2]!);
    await page.getByRole('button', { name: /use recovery code/i }).click();
    await page.getByRole('button', { name: /continue/i }).click();
    expect((await again.redeem(await callback())).claims()!.acr).toBe(ACR_MFA);
  });
});
