// Accessibility check with axe-core in the real page: WCAG 2.1 A and AA rules
// plus axe's best practices. Run through CDP evaluation, which the pages'
// CSP (script-src 'self', no inline script) does not apply to, so the page
// is checked exactly as served.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** The page's axe violations (an empty array is a pass). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
