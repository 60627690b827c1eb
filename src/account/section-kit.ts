// What the account page's section routes share (self-service-pages.ts
// builds it): the translator of the page's language, form fields, the
// acting user, and the redirect after a change. Its own file so the
// sections import it without importing the file that imports them.
import type { Context } from 'koa';
import type { Translate } from '../i18n/i18n.js';
import type { AccountKit } from './account-router.js';
import type { Self } from './factor-changes.js';

/** What every section's routes use. */
export interface SectionKit extends AccountKit {
  t(ctx: Context): Translate;
  lang(ctx: Context): string;
  field(ctx: Context, name: string): string;
  self(ctx: Context): Self;
  /** 303 to a page of the section with a notice key (account.<ns>.notice.<key>). */
  done(ctx: Context, path: string, notice: string): void;
}

/** The notice named in the query, when it is one of the section's. */
export function noticeText(t: Translate, ns: string, notices: readonly string[], value: unknown): string | null {
  return typeof value === 'string' && notices.includes(value) ? t(`account.${ns}.notice.${value}`) : null;
}
