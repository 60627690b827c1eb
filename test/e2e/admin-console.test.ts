// Admin console end to end: real Chromium signs in as an admin through
// Gatehouse's own login page, registers a client in the console, and that
// client then completes the authorization-code flow with openid-client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { useServer } from '../helpers/fixture.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { createRp, startCallbackServer } from '../helpers/relying-party.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const USER = { email: 'user@example.com', password: 'user-password-1' };

describe('admin console', () => {
  const server = useServer({ backend: 'postgres' });
  let browser: Browser;
  let rpServer: Awaited<ReturnType<typeof startCallbackServer>>;
  const contexts: BrowserContext[] = [];

  const newPage = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };
  const signIn = async (page: Page, who: { email: string; password: string }) => {
    await page.getByLabel(/email/i).fill(who.email);
    await page.getByLabel(/password/i).fill(who.password);
    await page.getByRole('button', { name: /sign in/i }).click();
  };
  const adminPage = async () => {
    const page = await newPage();
    await page.goto(`${server.issuer}/admin`);
    await signIn(page, ADMIN);
    await page.waitForURL(`${server.issuer}/admin/clients`);
    return page;
  };

  beforeAll(async () => {
    rpServer = await startCallbackServer();
    await server.services.stores.users.create({ ...ADMIN, name: 'Ada Admin', roles: ['admin'] });
    await server.services.stores.users.create({ ...USER, name: 'Uma User', emailVerified: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await rpServer?.close();
  });

  it('signs in an admin, creates a client (secret shown once), and the client completes the authorization-code flow', async () => {
    const page = await adminPage();
    expect(await page.getByRole('heading', { name: 'Clients' }).count()).toBe(1);
    const headers = (await page.reload())!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    await screenshot(page, 'admin-clients');

    await page.getByRole('link', { name: 'New client' }).click();
    await page.getByLabel('Name').fill('Photo Album');
    await page.getByLabel('Redirect URIs', { exact: true }).fill(`${rpServer.base}/cb`);
    await page.getByLabel('Post-logout redirect URIs').fill(`${rpServer.base}/bye`);
    await screenshot(page, 'admin-client-new');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByText(/copy the client secret now/i).waitFor();
    await screenshot(page, 'admin-client-secret');
    const clientId = (await page.locator('#client-id').textContent())!.trim();
    const clientSecret = (await page.locator('#client-secret').textContent())!.trim();
    expect(clientSecret).toMatch(/^[\w-]{40,}$/);
    const [event] = await server.services.stores.auditLog.list('admin.client.create', 1);
    expect(event).toMatchObject({
      subject: (await server.services.stores.users.findByEmail(ADMIN.email))!.id, clientId: 'gatehouse-admin-console',
      details: { via: 'console', object_id: clientId },
    });
    expect(JSON.stringify(event!.details)).not.toContain(clientSecret);

    // Never shown again: not on the client's page, not on the list.
    await page.getByRole('link', { name: 'Done' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Photo Album');
    expect(await page.content()).not.toContain(clientSecret);
    await page.goto(`${server.issuer}/admin/clients`);
    expect(await page.content()).not.toContain(clientSecret);
    expect(await page.getByRole('link', { name: 'Photo Album' }).count()).toBe(1);

    // The new client signs a (different) user in, in another browser.
    const rp = await createRp(server.issuer, clientId, clientSecret, `${rpServer.base}/cb`);
    const flow = await rp.start();
    const userPage = await newPage();
    await userPage.goto(flow.url.href);
    await signIn(userPage, USER);
    await userPage.getByRole('button', { name: /allow/i }).click();
    await userPage.waitForURL(`${rpServer.base}/**`);
    const tokens = await flow.redeem(userPage.url());
    const user = (await server.services.stores.users.findByEmail(USER.email))!;
    expect(tokens.claims()).toMatchObject({ iss: server.issuer, aud: clientId, sub: user.id });
    expect(await oidc.fetchUserInfo(rp.config, tokens.access_token, user.id)).toMatchObject({ email: USER.email, name: 'Uma User' });
  });

  it('shows validation errors by field and keeps what was typed', async () => {
    const page = await adminPage();
    await page.goto(`${server.issuer}/admin/clients/new`);
    await page.getByLabel('Name').fill('Broken');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('not a uri');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Redirect URIs', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Redirect URIs', { exact: true }).inputValue()).toBe('not a uri');
    expect(await page.locator('#redirect_uris-error').textContent()).toMatch(/absolute URI/);
    await screenshot(page, 'admin-client-invalid');
  });

  it('edits, rotates the secret of, and deletes a client', async () => {
    const created = await server.services.stores.clients.create({ name: 'Editable', redirectUris: ['https://e.example/cb'] });
    const page = await adminPage();
    await page.goto(`${server.issuer}/admin/clients/${created.clientId}`);
    await page.getByLabel('Name').fill('Edited');
    await page.getByLabel(/first-party/i).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await screenshot(page, 'admin-client-edit');
    expect(await server.services.stores.clients.get(created.clientId)).toMatchObject({ name: 'Edited', firstParty: true });

    await page.getByRole('button', { name: 'Rotate client secret' }).click();
    const rotated = (await page.locator('#client-secret').textContent())!.trim();
    expect(rotated).not.toBe(created.clientSecret);
    expect((await server.services.stores.clientLookup.findForProvider(created.clientId))!.client_secret).toBe(rotated);

    await page.goto(`${server.issuer}/admin/clients/${created.clientId}`);
    await page.getByRole('link', { name: /delete client/i }).click();
    await page.getByRole('button', { name: 'Delete client' }).click();
    await page.getByText('The client was deleted.').waitFor();
    expect(await server.services.stores.clients.get(created.clientId)).toBeNull();
  });

  it('lists, creates and disables users', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'New user' }).click();
    await page.getByLabel('Email address', { exact: true }).fill('new.hire@example.com');
    await page.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    expect(await page.locator('#password-error').textContent()).toMatch(/at least 8/);
    // The password policy (src/users/password-policy.ts) at the field, too.
    await page.getByLabel('Initial password').fill('password1234');
    await page.getByRole('button', { name: 'Create user' }).click();
    expect(await page.locator('#password-error').textContent()).toMatch(/too common/);
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('The user was created.').waitFor();

    await page.getByLabel('Search by email').fill('new.hire');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'admin-users');
    await page.getByRole('button', { name: 'Sign out everywhere: new.hire@example.com' }).click();
    await page.getByText('The user was signed out everywhere.').waitFor();
    const hire = (await server.services.stores.users.findByEmail('new.hire@example.com'))!;
    const [ended] = await server.services.stores.auditLog.list('admin.session.revoke_all', 1);
    expect(ended).toMatchObject({ clientId: 'gatehouse-admin-console', details: { via: 'console', object_id: hire.id } });
    await page.getByRole('button', { name: 'Disable new.hire@example.com' }).click();
    await page.getByText(/was disabled/).waitFor();
    expect((await server.services.stores.users.findByEmail('new.hire@example.com'))!.disabled).toBe(true);
    expect(await server.services.stores.users.authenticate('new.hire@example.com', 'a-long-enough-password')).toBeNull();
  });

  it('creates a user with phone number and postal address (OIDC Core §5.1), marking a bad number at its field', async () => {
    const page = await adminPage();
    await page.goto(`${server.issuer}/admin/users/new`);
    await page.getByLabel('Email address', { exact: true }).fill('ada.contact@example.com');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('textbox', { name: 'Phone number (optional)' }).fill('020 7946 0958');
    await page.getByLabel('Street address').fill('12 Marylebone Road');
    await page.getByLabel('City or town').fill('London');
    await page.getByLabel('Postal code').fill('NW1 5LR');
    await page.getByLabel('Country').fill('GB');
    await page.getByRole('button', { name: 'Create user' }).click();
    expect(await page.locator('#phone_number-error').textContent()).toMatch(/E\.164/);
    expect(await page.getByRole('textbox', { name: 'Phone number (optional)' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('City or town').inputValue()).toBe('London');
    await screenshot(page, 'admin-user-contact');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('textbox', { name: 'Phone number (optional)' }).fill('+44 20 7946 0958');
    await page.getByLabel('Phone number is verified').check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('The user was created.').waitFor();
    const user = await server.services.stores.users.findByEmail('ada.contact@example.com');
    expect(user).toMatchObject({
      phoneNumber: '+442079460958', phoneNumberVerified: true,
      address: { street_address: '12 Marylebone Road', locality: 'London', postal_code: 'NW1 5LR', country: 'GB' },
    });
  });

  it('turns away a signed-in user without the admin role', async () => {
    const page = await newPage();
    const response = await page.goto(`${server.issuer}/admin/users`);
    expect(response?.ok()).toBe(true);
    await signIn(page, USER);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    expect(page.url()).toContain('/admin/callback');
    const again = await page.goto(`${server.issuer}/admin/users`);
    // No console session was created: back through sign-in (silently, SSO) to the same answer.
    expect(again?.status()).toBe(403);
  });

  it('rejects console forms without a valid CSRF token', async () => {
    const page = await adminPage();
    const res = await page.request.post(`${server.issuer}/admin/users`, {
      form: { email: 'csrf@example.com', password: 'csrf-password-1', _csrf: 'forged' }, maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await server.services.stores.users.findByEmail('csrf@example.com')).toBeNull();
  });

  it('signs out of the console and of Gatehouse', async () => {
    const page = await adminPage();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /^sign out/i }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.goto(`${server.issuer}/admin/clients`);
    expect(await page.getByLabel(/password/i).count()).toBe(1);
  });
});
