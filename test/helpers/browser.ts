// Real headless Chromium (Debian package, else the npm-packaged one: see
// chromium-path.ts) driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './chromium-path.js';

export const SCREENSHOT_DIR = 'test-output/screenshots';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
    ],
  });
}

/** Saves a screenshot as a test artifact (not committed: test-output/ is ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}
