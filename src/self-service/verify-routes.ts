// /email/verify and /email/resend (thin: parse, one call, respond). A link
// opens a page with a button; only the POST spends it (mail scanners fetch
// links). Resend answers the same whether or not the address has an account,
// and is rate limited per address and per IP (self-service-limits.ts).
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import type { Csrf } from '../interaction/csrf.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import { isUid, type EmailVerification } from './email-verification.js';
import type { PendingRegistrations } from './pending-registration.js';
import { pageCsrf } from '../interaction/page-csrf.js';
import { countRequest, SELF_SERVICE_LIMITS } from './self-service-limits.js';
import { messagePage, tooManyRequests } from './self-service-pages.js';

export interface VerifyRouteDeps {
  verification: EmailVerification;
  throttle: ThrottleStore;
  registrations: PendingRegistrations;
  render: Render;
  i18n: I18n;
  csrf: Csrf;
}

const tokenField = z.string().min(1).max(200);
const verifyForm = z.object({ token: tokenField, continue: z.string().max(64).optional() });
const resendForm = z.object({ email: z.string().trim().max(320) });

export function buildVerifyRoutes(deps: VerifyRouteDeps): Router {
  const { render } = deps;
  const pages = { render, i18n: deps.i18n };
  const csrf = pageCsrf(deps.csrf, { cookie: 'gatehouse.email_csrf', path: '/email', purpose: 'email-page' });
  const router = new Router({ prefix: '/email' });
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const title = (ctx: Context, key: string) => deps.i18n.t(String(ctx.state.lang))(key);

  function checkCsrf(ctx: Context) {
    if (!csrf.verify(ctx, (ctx.request.body as Record<string, unknown> | undefined)?._csrf)) {
      ctx.throw(403, 'This form has expired. Please go back and try again.');
    }
  }
  const invalidLink = (ctx: Context, reason: 'invalid' | 'email-changed') =>
    messagePage(pages, ctx, 410, reason === 'invalid' ? 'verify.invalid' : 'verify.changed', { alert: true, icon: 'alert', link: { href: '/email/resend', key: 'verify.invalid.action' } });

  router.get('/verify', async (ctx) => {
    const token = tokenField.safeParse(ctx.query.token);
    if (!token.success || !(await deps.verification.check(token.data))) return invalidLink(ctx, 'invalid');
    const continueUid = isUid(ctx.query.continue) ? ctx.query.continue : null;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = await render('email-verify', { lang: ctx.state.lang, title: title(ctx, 'verify.confirm.title'), csrfToken: csrf.token(ctx), token: token.data, continueUid });
  });

  router.post('/verify', body, async (ctx) => {
    checkCsrf(ctx);
    const form = verifyForm.safeParse(ctx.request.body);
    if (!form.success) return invalidLink(ctx, 'invalid');
    const result = await deps.verification.redeem(form.data.token, ctx.ip);
    if (!result.ok) return invalidLink(ctx, result.reason);
    const uid = form.data.continue;
    if (isUid(uid)) {
      // Continue the sign-in this account was registered from (registration-routes.ts
      // checks that this browser holds that registration and that it is still alive).
      deps.registrations.markVerified(ctx, uid, result.userId);
      ctx.status = 303;
      return ctx.redirect(`/interaction/${uid}/register/continue`);
    }
    return messagePage(pages, ctx, 200, 'verify.done', { icon: 'check', link: { href: '/account', key: 'verify.done.action' } });
  });

  router.get('/resend', async (ctx) => {
    ctx.type = 'html';
    ctx.body = await render('email-resend', { lang: ctx.state.lang, title: title(ctx, 'verify.resend.title'), csrfToken: csrf.token(ctx), email: '', sent: false, error: null });
  });

  router.post('/resend', body, async (ctx) => {
    checkCsrf(ctx);
    const form = resendForm.safeParse(ctx.request.body);
    const email = form.success ? form.data.email : '';
    const page = async (sent: boolean) => {
      ctx.type = 'html';
      ctx.body = await render('email-resend', { lang: ctx.state.lang, title: title(ctx, 'verify.resend.title'), csrfToken: csrf.token(ctx), email, sent, error: null });
    };
    const ip = await countRequest(deps.throttle, `verify:ip:${ctx.ip}`, SELF_SERVICE_LIMITS.verifyIp);
    if (!ip.ok) return tooManyRequests(pages, ctx, ip.retryAfter);
    if (email.includes('@')) deps.verification.requestResend(email, { lang: ctx.state.lang, ip: ctx.ip });
    return page(true);
  });

  return router;
}
