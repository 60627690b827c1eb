// Form POST to the authorization and end-session endpoints from a relying
// party's page, in real Chromium (OpenID Connect Core §3.1.2.1, RP-Initiated
// Logout §2): sign-in, single sign-on on a second POST, and logout. The RP
// runs on another port of 127.0.0.1: another origin on the same site, which
// is what plain HTTP allows (cross-site POST needs HTTPS, docs/security.md).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestStore, type TestStore } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser } from '../helpers/browser.js';
import { createRp, type Rp } from '../helpers/relying-party.js';

const EMAIL = 'form@example.com';
const PASSWORD = 'posting forms since 1995';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The RP's web server: /form/<n> is an auto-built form page, anything else a plain 200. */
async function startRpServer() {
  const forms = new Map<string, { action: string; fields: Record<string, string> }>();
  const server: Server = createServer((req, res) => {
    const form = forms.get(req.url ?? '');
    if (!form) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('rp page');
    const inputs = Object.entries(form.fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html' })
      .end(`<!doctype html><title>RP</title><form method="post" action="${esc(form.action)}">${inputs}<button>Continue</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    page(action: string, fields: Record<string, string>) {
      const path = `/form/${forms.size}`;
      forms.set(path, { action, fields });
      return `${base}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('form POST from a relying party page in Chromium', () => {
  let store: TestStore;
  let server: TestServer;
  let rpServer: Awaited<ReturnType<typeof startRpServer>>;
  let rp: Rp;
  let browser: Browser;
  let page: Page;

  /** Opens the RP's page for a POST of the authorization request and submits it. */
  async function postAuthorization(extra: Record<string, string> = {}) {
    const flow = await rp.start(extra);
    const fields = Object.fromEntries(flow.url.searchParams);
    await page.goto(rpServer.page(`${server.issuer}/auth`, fields));
    await page.getByRole('button', { name: 'Continue' }).click();
    return flow;
  }
  const callback = async () => {
    await page.waitForURL(`${rpServer.base}/cb**`);
    return page.url();
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    rpServer = await startRpServer();
    server = await startTestServer(store.env);
    await server.services.stores.users.create({ email: EMAIL, password: PASSWORD, emailVerified: true });
    const c = await server.services.stores.clients.create({
      name: 'Form RP', redirectUris: [`${rpServer.base}/cb`], postLogoutRedirectUris: [`${rpServer.base}/bye`], scope: 'openid profile email', firstParty: true,
    });
    rp = await createRp(server.issuer, c.clientId, c.clientSecret, `${rpServer.base}/cb`);
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rpServer?.close();
    await store?.dispose();
  });

  it('signs in after a form POST to /auth, then signs in again without a password, then logs out by form POST', async () => {
    const first = await postAuthorization();
    await page.getByLabel(/email/i).fill(EMAIL);
    await page.getByLabel(/password/i).fill(PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    const tokens = await first.redeem(await callback());
    expect(tokens.claims()!.iss).toBe(server.issuer);

    // Single sign-on: the session cookie travels with the second POST.
    const second = await postAuthorization();
    const again = await second.redeem(await callback());
    expect(again.claims()!.sub).toBe(tokens.claims()!.sub);

    // RP-initiated logout, posted the same way, confirmed on Gatehouse's page.
    await page.goto(rpServer.page(`${server.issuer}/session/end`, {
      id_token_hint: again.id_token!, post_logout_redirect_uri: `${rpServer.base}/bye`, state: 'xyz',
    }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /^sign out/i }).click();
    await page.waitForURL(`${rpServer.base}/bye**`);
    expect(new URL(page.url()).searchParams.get('state')).toBe('xyz');

    await postAuthorization({ prompt: 'none' });
    expect(new URL(await callback()).searchParams.get('error')).toBe('login_required');
  });
});
