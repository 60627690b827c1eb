// Login, consent and abort for oidc-provider interactions (thin: parse, one
// call, respond). Pages are server-rendered; every form carries a CSRF token.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Render } from '../http/views.js';
import { text, waitText, type Text } from '../i18n/i18n.js';
import type { UserStore } from '../users/user-store.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { Csrf } from './csrf.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { LoginAttempt, LoginResult } from './login-service.js';
import { deviceFor, rememberDevice } from './device-cookie.js';
import { consentPage, finishConsent } from './consent.js';
import type { ResourceScopeFilter } from '../access/admin-access.js';
import { passkeyPath } from '../mfa/passkey-http.js';
import { afterFirstFactor, stepUp, type InteractionView } from '../mfa/after-password.js';
import type { FactorStore } from '../mfa/factor-store.js';
import type { MfaPolicy } from '../mfa/mfa-policy.js';
import type { PendingLogin } from '../mfa/pending-login.js';

export interface InteractionDeps {
  provider: Provider;
  users: UserStore;
  consents: ConsentStore;
  render: Render;
  csrf: Csrf;
  login: (attempt: LoginAttempt) => Promise<LoginResult>;
  events: SecurityEvents;
  /** Which requested resource scopes the user may be granted (admin-policy.ts). */
  resourceScopes?: ResourceScopeFilter;
  /** Offer passkey sign-in on the login page (mfa/passkey-routes.ts; off when the issuer is an IP address). */
  passkeys?: boolean;
  /** Link to self-registration on the login page (SELF_REGISTRATION: src/self-service/registration-routes.ts). */
  registration?: boolean;
  /** Offer "Forgot password?" (PASSWORD_RESET; the pages are src/password/). */
  passwordReset?: boolean;
  /** After the password: second factor, enrolment or finish (src/mfa/after-password.ts). */
  mfa: { pending: PendingLogin; factors: FactorStore; policy: MfaPolicy };
}

const loginForm = z.object({ email: z.string().trim().max(320), password: z.string().max(1024) });
// Texts are catalogue keys (locales/<lang>.json), translated in the view in
// the authorization request's language (http/locale.ts interactionLocale).
const GENERIC_LOGIN_ERROR = text('login.errors.incorrect');
const lockedMessage = (seconds: number) => waitText('login.errors.locked', seconds);

export function buildInteractionRoutes(deps: InteractionDeps): Router {
  const { provider, render, csrf } = deps;
  const mfa = { ...deps.mfa, provider, users: deps.users };
  const router = new Router({ prefix: '/interaction' });
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });

  async function details(ctx: Context) {
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    if (d.uid !== ctx.params.uid) ctx.throw(400, 'This sign-in link has expired. Please return to the application and try again.', { reason: 'expired' });
    return d;
  }

  async function loginPage(ctx: Context, d: Awaited<ReturnType<typeof details>>, email: string, error: Text | null) {
    const client = await provider.Client.find(String(d.params.client_id));
    ctx.type = 'html';
    ctx.body = await render('login', {
      lang: ctx.state.lang, csrfToken: csrf.token(d.uid), action: `/interaction/${d.uid}/login`,
      abortAction: `/interaction/${d.uid}/abort`, clientName: client?.clientName ?? null,
      email, error, forcedReauth: Boolean(d.session?.accountId), passkeyPath: deps.passkeys ? passkeyPath(d.uid) : null,
      registerPath: deps.registration ? `/interaction/${d.uid}/register` : null,
      forgotPath: deps.passwordReset ? `/interaction/${d.uid}/forgot` : null,
    });
  }

  function checkCsrf(ctx: Context, uid: string) {
    const token = (ctx.request.body as Record<string, unknown> | undefined)?._csrf;
    if (!csrf.verify(uid, token)) ctx.throw(403, 'This form has expired. Please go back and try again.', { reason: 'csrf' });
  }

  router.get('/:uid', async (ctx) => {
    const d = await details(ctx);
    // An SSO session that only lacks the second factor goes straight to it.
    if (await stepUp(mfa, ctx, d)) return;
    if (d.prompt.name === 'login') return loginPage(ctx, d, String(d.params.login_hint ?? ''), null);
    ctx.type = 'html';
    ctx.body = await consentPage(deps, d, ctx.state.lang);
  });

  router.post('/:uid/login', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    if (d.prompt.name !== 'login') ctx.throw(400, 'Sign-in is not expected at this step.', { reason: 'expired' });
    const form = loginForm.safeParse(ctx.request.body);
    if (!form.success) return loginPage(ctx, d, '', GENERIC_LOGIN_ERROR);
    const { email, password } = form.data;
    const result = await deps.login({ email, password, ip: ctx.ip, clientId: String(d.params.client_id), device: deviceFor(ctx, email) });
    const { user } = result;
    if (!user) {
      if (result.retryAfter) {
        // OWASP lockout: 429 with Retry-After (RFC 6585 §4).
        await loginPage(ctx, d, form.data.email, lockedMessage(result.retryAfter));
        ctx.status = 429;
        ctx.set('Retry-After', String(result.retryAfter));
        return;
      }
      return loginPage(ctx, d, form.data.email, GENERIC_LOGIN_ERROR);
    }
    rememberDevice(ctx, email, result.device);
    await afterFirstFactor(mfa, ctx, d, user, 'pwd');
  });

  router.post('/:uid/confirm', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    if (d.prompt.name !== 'consent') ctx.throw(400, 'Consent is not expected at this step.', { reason: 'expired' });
    const result = await finishConsent(deps, d);
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
  });

  router.post('/:uid/abort', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    // RFC 6749 §4.1.2.1: the user denied the request.
    const result = { error: 'access_denied', error_description: 'The user cancelled the sign-in or denied access.' };
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  });

  return router;
}
