// The shared setup of the passkey browser tests: a Gatehouse whose issuer is
// http://localhost:<port> (a WebAuthn RP id must be a domain), a relying party
// on openid-client, and real Chromium whose every test gets a fresh context
// with a CDP virtual authenticator (WebAuthn.addVirtualAuthenticator).
// Registered as hooks of the enclosing describe, like fixture.ts.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { useServer, type ServerFixture } from './fixture.js';
import { launchBrowser } from './browser.js';
import { createRp, startCallbackServer, type Rp } from './relying-party.js';
import type { User } from '../../src/users/user-store.js';

export const PASSWORD = 'correct horse battery staple';

/** A platform authenticator; `synced` sets the backup flags (BE, BS) a synced passkey provider reports. */
async function virtualAuthenticator(context: BrowserContext, page: Page, synced: boolean) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
      ...(synced ? { defaultBackupEligibility: true, defaultBackupState: true } : {}),
    },
  });
  return { cdp, authenticatorId };
}

export interface PasskeyBrowser {
  readonly server: ServerFixture;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  readonly rp: Rp;
  readonly rpBase: string;
  /** A new context and page with a new authenticator (the old one's credentials are gone). */
  freshBrowser(synced?: boolean): Promise<void>;
  newUser(tag: string): Promise<User>;
  /** Allows consent if asked, then waits for the relying party's callback URL. */
  callback(): Promise<string>;
  /** Registers a passkey with the real service and a real ceremony on the issuer's origin (the pages' UMD bundle). */
  seedPasskey(user: User): Promise<Extract<Awaited<ReturnType<ServerFixture['services']['services']['passkeys']['verifyRegistration']>>, { ok: true }>>;
  signInWithPassword(email: string): Promise<void>;
  /** The error the page's passkey script showed. */
  alertText(): Promise<string | null>;
  /** Whether the authenticator answers by itself (off: requests wait, as for a person who has not chosen yet). */
  presence(enabled: boolean): Promise<unknown>;
  events(type: string, subject: string): Promise<{ outcome: string; details: unknown }[]>;
}

export function usePasskeyBrowser(): PasskeyBrowser {
  const server = useServer({ backend: 'postgres', issuerHost: 'localhost' });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let rp: Rp;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  let n = 0;
  const passkeys = () => server.services.services.passkeys;

  const freshBrowser = async (synced = false) => {
    await context?.close();
    context = await browser.newContext();
    page = await context.newPage();
    ({ cdp, authenticatorId } = await virtualAuthenticator(context, page, synced));
  };
  beforeAll(async () => {
    rpServer = await startCallbackServer();
    const c = await server.services.stores.clients.create({ name: 'Notes', redirectUris: [`${rpServer.base}/cb`], scope: 'openid profile email' });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rpServer?.close();
  });
  beforeEach(() => freshBrowser());

  return {
    server,
    get page() { return page; },
    get context() { return context; },
    get cdp() { return cdp; },
    get authenticatorId() { return authenticatorId; },
    get rp() { return rp; },
    get rpBase() { return rpServer.base; },
    freshBrowser,
    newUser: (tag) => server.services.stores.users.create({ email: `${tag}-${++n}@example.com`, password: PASSWORD, name: `User ${tag}`, emailVerified: true }),
    async callback() {
      await page.getByRole('button', { name: /allow/i }).click();
      await page.waitForURL(`${rpServer.base}/**`);
      return page.url();
    },
    async seedPasskey(user) {
      await page.goto(`${server.issuer}/no-such-page`);
      await page.addScriptTag({ url: '/static/vendor/simplewebauthn/index.umd.min.js' });
      const { options, ticket } = await passkeys().registrationOptions(user, 'test:seed');
      const response = await page.evaluate(
        (o) => (window as unknown as { SimpleWebAuthnBrowser: { startRegistration(a: object): Promise<unknown> } }).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: o }),
        options,
      ) as RegistrationResponseJSON;
      const result = await passkeys().verifyRegistration({ user, binding: 'test:seed', ticket, response, name: 'Virtual key' });
      expect(result.ok).toBe(true);
      return result as Extract<typeof result, { ok: true }>;
    },
    async signInWithPassword(email) {
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    },
    async alertText() {
      const alert = page.locator('#passkey-status .alert');
      await alert.waitFor();
      return alert.textContent();
    },
    presence: (enabled) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled }),
    events: async (type, subject) => (await server.services.stores.auditLog.list(type, 500)).filter((e) => e.subject === subject),
  };
}
