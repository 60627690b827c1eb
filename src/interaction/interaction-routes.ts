// Login, consent and abort for oidc-provider interactions (thin: parse, one
// call, respond). Pages are server-rendered; every form carries a CSRF token.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Render } from '../http/views.js';
import type { UserStore } from '../users/user-store.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { Csrf } from './csrf.js';
import { consentPage, finishConsent } from './consent.js';
import type { ResourceScopeFilter } from '../admin/admin-policy.js';

export interface InteractionDeps {
  provider: Provider;
  users: UserStore;
  consents: ConsentStore;
  render: Render;
  csrf: Csrf;
  /** Which requested resource scopes the user may be granted (admin-policy.ts). */
  resourceScopes?: ResourceScopeFilter;
}

const loginForm = z.object({ email: z.string().trim().max(320), password: z.string().max(1024) });
const GENERIC_LOGIN_ERROR = 'Incorrect email or password.';

export function buildInteractionRoutes(deps: InteractionDeps): Router {
  const { provider, users, render, csrf } = deps;
  const router = new Router({ prefix: '/interaction' });
  const body = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });

  async function details(ctx: Context) {
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    if (d.uid !== ctx.params.uid) ctx.throw(400, 'This sign-in link has expired. Please return to the application and try again.');
    return d;
  }

  async function loginPage(ctx: Context, d: Awaited<ReturnType<typeof details>>, email: string, error: string | null) {
    const client = await provider.Client.find(String(d.params.client_id));
    ctx.type = 'html';
    ctx.body = await render('login', {
      title: 'Sign in', csrfToken: csrf.token(d.uid), action: `/interaction/${d.uid}/login`,
      abortAction: `/interaction/${d.uid}/abort`, clientName: client?.clientName ?? 'the application',
      email, error, forcedReauth: Boolean(d.session?.accountId),
    });
  }

  function checkCsrf(ctx: Context, uid: string) {
    const token = (ctx.request.body as Record<string, unknown> | undefined)?._csrf;
    if (!csrf.verify(uid, token)) ctx.throw(403, 'This form has expired. Please go back and try again.');
  }

  router.get('/:uid', async (ctx) => {
    const d = await details(ctx);
    if (d.prompt.name === 'login') return loginPage(ctx, d, String(d.params.login_hint ?? ''), null);
    ctx.type = 'html';
    ctx.body = await consentPage(deps, d);
  });

  router.post('/:uid/login', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    if (d.prompt.name !== 'login') ctx.throw(400, 'Sign-in is not expected at this step.');
    const form = loginForm.safeParse(ctx.request.body);
    const user = form.success ? await users.authenticate(form.data.email, form.data.password) : null;
    if (!user) return loginPage(ctx, d, form.success ? form.data.email : '', GENERIC_LOGIN_ERROR);
    // prompt=login / max_age re-authentication must be the same account (OIDC Core §3.1.2.3).
    const result = { login: { accountId: user.id, amr: ['pwd'], remember: true } };
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  });

  router.post('/:uid/confirm', body, async (ctx) => {
    const d = await details(ctx);
    checkCsrf(ctx, d.uid);
    if (d.prompt.name !== 'consent') ctx.throw(400, 'Consent is not expected at this step.');
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
