// The password pages (PASSWORD_RESET on; off, nothing is mounted and the
// login page shows no link): forgot-routes.ts and reset-routes.ts. Pages are
// never cached (they carry links and tokens) and are in the language of the
// request (src/http/locale.ts) or of the sign-in they belong to.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import type { Csrf } from '../interaction/csrf.js';
import type { PasswordPolicy } from '../users/password-policy.js';
import type { PasswordReset } from './reset-service.js';
import { addForgotRoutes } from './forgot-routes.js';
import { addResetRoutes } from './reset-routes.js';

export interface PasswordPageDeps {
  provider: Provider;
  render: Render;
  i18n: I18n;
  csrf: Csrf;
  policy: PasswordPolicy;
  reset: PasswordReset;
}

export type Page = (ctx: Context, view: string, locals: Record<string, unknown>, status?: number) => Promise<void>;

export function buildPasswordRoutes(deps: PasswordPageDeps): Router {
  const router = new Router();
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const page: Page = async (ctx, view, locals, status = 200) => {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = await deps.render(view, locals);
  };
  addForgotRoutes(router, deps, page, body);
  addResetRoutes(router, deps, page, body);
  return router;
}
