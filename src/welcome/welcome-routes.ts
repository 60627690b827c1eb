// `/` (the welcome page: what this server is and where to go next) and
// `/setup` (the first admin, first-run.ts). Thin: parse, one call, respond.
// The setup form binds its CSRF token to this browser (interaction/page-csrf.ts).
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import type { Csrf } from '../interaction/csrf.js';
import { pageCsrf } from '../interaction/page-csrf.js';
import { passwordProblemMessage, type PasswordProblem } from '../users/password-policy.js';
import { messagePage } from '../self-service/self-service-pages.js';
import type { FirstRun, SetupProblem } from './first-run.js';

export interface WelcomeRouteDeps {
  issuer: string;
  /** The JWKS path from the provider's routes (provider.pathFor('jwks')). */
  jwksPath: string;
  firstRun: FirstRun;
  render: Render;
  i18n: I18n;
  csrf: Csrf;
  minPasswordLength: number;
}

export function buildWelcomeRoutes(deps: WelcomeRouteDeps): Router {
  const { render, firstRun } = deps;
  const pages = { render, i18n: deps.i18n };
  const csrf = pageCsrf(deps.csrf, { cookie: 'gatehouse.setup_csrf', path: '/setup', purpose: 'first-run-setup' });
  const router = new Router();
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const t = (ctx: Context) => deps.i18n.t(String(ctx.state.lang));

  router.get('/', async (ctx) => {
    ctx.type = 'html';
    ctx.body = await render('welcome', {
      lang: ctx.state.lang, title: t(ctx)('welcome.title'), issuer: deps.issuer,
      discoveryUrl: `${deps.issuer}/.well-known/openid-configuration`, jwksUrl: `${deps.issuer}${deps.jwksPath}`,
      needsSetup: !(await firstRun.adminExists()),
    });
  });

  const refuse = (ctx: Context, reason: 'done' | 'invalid-link') => reason === 'done'
    ? messagePage(pages, ctx, 410, 'welcome.done', { icon: 'check', link: { href: '/admin', key: 'welcome.done.action' } })
    : messagePage(pages, ctx, 410, 'welcome.invalid', { alert: true, icon: 'alert' });

  async function form(ctx: Context, token: string, values: { email: string; name: string }, problem: SetupProblem | null) {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    const tr = t(ctx);
    const error = !problem ? null : problem === 'invalid-email' || problem === 'email-taken'
      ? tr(`welcome.setup.${problem}`) : passwordProblemMessage(tr, problem as PasswordProblem, deps.minPasswordLength);
    ctx.body = await render('welcome-setup', {
      lang: ctx.state.lang, title: tr('welcome.setup.title'), csrfToken: csrf.token(ctx), token, ...values, error, minLength: deps.minPasswordLength,
      errorField: !problem ? null : problem === 'invalid-email' || problem === 'email-taken' ? 'email' : 'password',
    });
  }

  router.get('/setup', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const refused = await firstRun.refusal(token);
    if (refused) return refuse(ctx, refused);
    await form(ctx, token, { email: '', name: '' }, null);
  });

  router.post('/setup', body, async (ctx) => {
    if (!csrf.verify(ctx)) ctx.throw(403, 'This form has expired. Please go back and try again.');
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    const token = typeof b.token === 'string' ? b.token : '';
    const result = await firstRun.create(token, b);
    if (result.ok) return messagePage(pages, ctx, 201, 'welcome.created', { icon: 'check', link: { href: '/admin', key: 'welcome.created.action' } });
    if (result.problem === 'done' || result.problem === 'invalid-link') return refuse(ctx, result.problem);
    ctx.status = 400;
    await form(ctx, token, { email: typeof b.email === 'string' ? b.email : '', name: typeof b.name === 'string' ? b.name : '' }, result.problem);
  });

  return router;
}
