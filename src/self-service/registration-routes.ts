// /interaction/:uid/register: the registration page inside a sign-in
// (thin: parse, one call, respond). After the verification link is opened in
// the same browser (POST /email/verify marks it: pending-registration.ts),
// /register/continue signs the new account in as the first factor through
// afterFirstFactor (mfa/after-password.ts), so the MFA policy still applies,
// and the browser ends at the relying party.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import { chooseLanguage } from '../http/locale.js';
import type { Csrf } from '../interaction/csrf.js';
import { afterFirstFactor, type AfterPasswordDeps } from '../mfa/after-password.js';
import type { Registration, Problems } from './registration.js';
import type { EmailVerification } from './email-verification.js';
import type { PendingRegistrations } from './pending-registration.js';
import { mailUnavailable, messagePage, tooManyRequests } from './self-service-pages.js';

export interface RegistrationRouteDeps {
  provider: Provider;
  registration: Registration;
  verification: EmailVerification;
  registrations: PendingRegistrations;
  render: Render;
  i18n: I18n;
  csrf: Csrf;
  mfa: AfterPasswordDeps;
}

const form = z.object({ email: z.string().max(320), name: z.string().max(1000).default(''), password: z.string().max(4096) });

export function buildRegistrationRoutes(deps: RegistrationRouteDeps): Router {
  const { provider, render, registration } = deps;
  const pages = { render, i18n: deps.i18n };
  const router = new Router({ prefix: '/interaction' });
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });

  async function details(ctx: Context) {
    // Off: as if the page did not exist (404, the error page).
    if (!registration.enabled) ctx.throw(404, 'The page you asked for does not exist.');
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    if (d.uid !== ctx.params.uid) ctx.throw(400, 'This sign-in link has expired. Please return to the application and try again.');
    ctx.state.lang = chooseLanguage(deps.i18n, ctx, d.params.ui_locales);
    return d;
  }
  function checkCsrf(ctx: Context, uid: string) {
    if (!deps.csrf.verify(uid, (ctx.request.body as Record<string, unknown> | undefined)?._csrf)) {
      ctx.throw(403, 'This form has expired. Please go back and try again.');
    }
  }
  async function formPage(ctx: Context, uid: string, values: { email: string; name: string }, problems: Problems = {}) {
    const t = deps.i18n.t(ctx.state.lang);
    const errors: Record<string, string> = {};
    if (problems.email) errors.email = t(`register.problem.email_${problems.email}`, { domains: registration.domains.join(', ') });
    if (problems.password) errors.password = t(`register.problem.password_${problems.password}`, { min: minLength(deps) });
    if (problems.name) errors.name = t('register.problem.name_too_long');
    ctx.type = 'html';
    ctx.body = await render('register', {
      lang: ctx.state.lang, title: t('register.title'), csrfToken: deps.csrf.token(uid), action: `/interaction/${uid}/register`,
      signInPath: `/interaction/${uid}`, values, errors, domains: registration.domains, minLength: minLength(deps),
    });
  }
  async function checkEmail(ctx: Context, uid: string, email: string, resent = false) {
    const t = deps.i18n.t(ctx.state.lang);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await render('register-check-email', {
      lang: ctx.state.lang, title: t('register.check.title'), csrfToken: deps.csrf.token(uid), email, resent,
      resendAction: `/interaction/${uid}/register/resend`,
    });
  }

  router.get('/:uid/register', async (ctx) => {
    const d = await details(ctx);
    await formPage(ctx, d.uid, { email: String(d.params.login_hint ?? ''), name: '' });
  });

  router.post('/:uid/register', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    const parsed = form.safeParse(ctx.request.body);
    if (!parsed.success) {
      ctx.status = 400;
      return formPage(ctx, d.uid, { email: '', name: '' }, { email: 'invalid' });
    }
    const { email, name, password } = parsed.data;
    const r = await registration.register({ email, name, password, lang: ctx.state.lang, ip: ctx.ip, uid: d.uid });
    if (r.kind === 'invalid') {
      ctx.status = 400;
      return formPage(ctx, d.uid, { email, name }, r.problems);
    }
    if (r.kind === 'limited') return tooManyRequests(pages, ctx, r.retryAfter);
    deps.registrations.start(ctx, { uid: d.uid, userId: r.userId, email: r.email });
    // The account is kept: a new link can be asked for once mail works again.
    if (r.kind === 'mail-failed') return mailUnavailable(pages, ctx, { href: '/email/resend', key: 'verify.invalid.action' });
    return checkEmail(ctx, d.uid, r.email);
  });

  router.post('/:uid/register/resend', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    const pending = deps.registrations.read(ctx, d.uid);
    if (!pending) return formPage(ctx, d.uid, { email: '', name: '' });
    // After the response, as /email/resend: the same page and timing for a decoy.
    deps.verification.requestResend(pending.email, { lang: ctx.state.lang, ip: ctx.ip, continueUid: d.uid, userId: pending.userId });
    return checkEmail(ctx, d.uid, pending.email, true);
  });

  router.get('/:uid/register/continue', async (ctx) => {
    const uid = String(ctx.params.uid);
    const pending = deps.registrations.read(ctx, uid);
    const verified = deps.registrations.verified(ctx, uid);
    const user = pending && verified?.userId === pending.userId ? await deps.mfa.users.findById(pending.userId) : null;
    const d = user?.emailVerified && !user.disabled ? await details(ctx).catch(() => null) : null;
    if (!user || !d || d.prompt.name !== 'login') {
      // Another browser, or the sign-in has expired: the address is verified all the same.
      return messagePage(pages, ctx, 200, 'verify.done_signin', { icon: 'check' });
    }
    deps.registrations.clear(ctx, uid);
    await afterFirstFactor(deps.mfa, ctx, d, user, 'pwd');
  });

  return router;
}

const minLength = (deps: RegistrationRouteDeps) => deps.registration.minLength;
