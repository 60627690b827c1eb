// The microservice demo end to end in Chromium: sign in at the web app, call
// the orders service, which exchanges the token (RFC 8693) and calls billing;
// billing reports the user and the actor chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { DEMO_USER, runDemo, type Demo } from '../../src/demo/run.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';

describe('npm run demo', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    const base = 20000 + Math.floor(Math.random() * 20000);
    demo = await runDemo(loadConfig({ LOG_LEVEL: 'error', NODE_ENV: 'test' }), base);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('signs in, calls orders, and billing sees the user with act = orders', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(demo.webApp);
    await page.getByRole('link', { name: /sign in/i }).click();
    await page.getByLabel(/email/i).fill(DEMO_USER.email);
    await page.getByLabel(/password/i).fill(DEMO_USER.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('button', { name: /allow/i }).click();
    await page.getByText(/Hello, Demo User/).waitFor();
    await page.getByRole('link', { name: /call the orders service/i }).click();
    await page.locator('#result').waitFor();
    await screenshot(page, 'demo-result');
    const result = JSON.parse((await page.locator('#result').textContent())!);
    expect(result).toMatchObject({ service: 'orders', exchanged_scope: 'orders:read', billing: { service: 'billing', scopes: ['orders:read'] } });
    // The actor is the orders service's client, not the user or the web app.
    expect(result.billing.act).toEqual({ sub: demo.ordersClientId });
    expect(result.billing.for_user).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('#act').textContent()).toContain(demo.ordersClientId);
  });

  it('refuses calls to the services without a token (RFC 6750)', async () => {
    const res = await fetch(`${demo.orders}orders`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders"');
  });
});
