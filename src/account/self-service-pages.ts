// The account page's own sections beyond security (issue 15): profile
// (/account), password, sessions and apps. Each section is a file of thin
// routes; this one gathers their dependencies and the small helpers they
// share (the translator of the page's language, reading a form field).
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { I18n } from '../i18n/i18n.js';
import type { SectionKit } from './section-kit.js';
import type { AccountKit } from './account-router.js';
import type { ProfileChanges } from './profile-changes.js';
import type { ChangePassword } from './password-change.js';
import type { SessionChanges } from './session-changes.js';
import { addProfilePages } from './profile-pages.js';
import { addPasswordPages } from './password-pages.js';
import { addSessionPages } from './session-pages.js';

export type { SectionKit };

export interface SelfServiceDeps {
  profile: ProfileChanges;
  changePassword: ChangePassword;
  sessions: SessionChanges;
  i18n: I18n;
  passwordMinLength: number;
  /** The uid of this browser's SSO session (oidc-provider's session cookie), if it has one. */
  currentSession(ctx: Context): Promise<string | undefined>;
}

export function addSelfServicePages(router: Router, deps: SelfServiceDeps, kit: AccountKit): void {
  const lang = (ctx: Context) => (typeof ctx.state.lang === 'string' ? ctx.state.lang : 'en');
  const section: SectionKit = {
    ...kit,
    lang,
    t: (ctx) => deps.i18n.t(lang(ctx)),
    field(ctx, name) {
      const v = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
      return typeof v === 'string' ? v.trim() : '';
    },
    self: (ctx) => ({ userId: kit.state(ctx).userId, ip: ctx.ip }),
    done(ctx, path, notice) {
      ctx.status = 303;
      ctx.redirect(`${path}?notice=${notice}`);
    },
  };
  addProfilePages(router, deps, section);
  addPasswordPages(router, deps, section);
  addSessionPages(router, deps, section);
}
