// MFA_POLICY=required in real Chromium: a user with no second factor is
// walked through enrolment at sign-in (authenticator app, first code,
// recovery codes shown once), and is asked for the code from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { axeViolations } from '../helpers/axe.js';
import { createRp, startCallbackServer, type Rp } from '../helpers/relying-party.js';
import { ACR_MFA } from '../../src/mfa/mfa-policy.js';

const USER = { email: 'grace@example.com', password: 'hopper-1906-cobol-nanoseconds' };
const codeAt = (secret: string, ms: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

describe('MFA_POLICY=required', () => {
  const server = useServer({ backend: 'embedded', env: { MFA_POLICY: 'required' } });
  let browser: Browser;
  let rp: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;

  const signIn = async (page: Page) => {
    await page.getByLabel(/email/i).fill(USER.email);
    await page.getByLabel(/password/i).fill(USER.password);
    await page.getByRole('button', { name: /sign in/i }).click();
  };
  const callback = async (page: Page) => {
    await page.waitForURL(`${rpServer.base}/**`);
    return page.url();
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create(USER);
    const c = await server.services.stores.clients.create({ name: 'Wiki', redirectUris: [`${rpServer.base}/cb`], firstParty: true });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
  });

  it('walks a user with no factor through enrolment, then asks for the code at the next sign-in', async () => {
    const page = await (await browser.newContext()).newPage();
    const flow = await rp.start();
    await page.goto(flow.url.href);
    await signIn(page);
    await page.getByRole('heading', { name: /set up two-step verification/i }).waitFor();
    expect(await page.textContent('body')).toContain('Wiki');
    // A reload shows the same key (one pending authenticator per sign-in).
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await page.reload();
    expect((await page.locator('#totp-secret').textContent())!.trim()).toBe(secret);
    await page.getByLabel(/code from the app/i).fill(codeAt(secret, Date.now()));
    await page.getByRole('button', { name: /confirm/i }).click();
    await page.getByRole('heading', { name: /save your recovery codes/i }).waitFor();
    expect(await page.locator('.code-list code').count()).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'mfa-required-codes');
    await page.getByRole('button', { name: /continue/i }).click();
    const claims = (await flow.redeem(await callback(page))).claims()!;
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    // The enrolment is audited, without the key or the code.
    const enrolled = await server.services.stores.auditLog.list('mfa.totp.enrol');
    expect(enrolled.map((e) => [e.subject, e.outcome])).toEqual([[claims.sub, 'success']]);
    expect(JSON.stringify(enrolled[0]!.details)).not.toContain(secret);
    const codes = await server.services.stores.auditLog.list('mfa.recovery.enrol');
    expect(codes.map((e) => e.details)).toEqual([{ count: 10, reason: 'first-factor' }]);

    // A new browser: the password, then the code (no second enrolment).
    const other = await (await browser.newContext()).newPage();
    const next = await rp.start();
    await other.goto(next.url.href);
    await signIn(other);
    await other.getByLabel(/authenticator code/i).fill(codeAt(secret, Date.now() + 30_000));
    await other.getByRole('button', { name: /verify/i }).click();
    expect((await next.redeem(await callback(other))).claims()!.acr).toBe(ACR_MFA);
  });
});
