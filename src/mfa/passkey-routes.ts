// JSON endpoints of the passkey ceremonies inside an interaction
// (public/js/passkey.js calls them): `…/options` answers the WebAuthn options
// and keeps the sealed challenge in a cookie (passkey-http.ts); `…/verify`
// checks the browser's answer and replies with the URL to go on to. Thin: the
// ceremonies are passkeys.ts. CSRF: the page's token comes back in the
// X-CSRF-Token header; a JSON body cannot be sent cross-site without a CORS
// preflight either, which this server never grants. This file: passwordless
// sign-in; passkey-step-routes.ts: the second step after a password.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Provider from 'oidc-provider';
import type { Csrf } from '../interaction/csrf.js';
import type { Render } from '../http/views.js';
import type { UserStore } from '../users/user-store.js';
import type { FactorStore } from './factor-store.js';
import type { PendingLogin } from './pending-login.js';
import type { RecoveryCodes } from './recovery-codes.js';
import { acrFor, amrFor } from './mfa-policy.js';
import { PASSKEY_MESSAGES, type Passkeys } from './passkeys.js';
import { fail, interactionBinding, keepTicket, loadInteraction, takeTicket, verifyBody } from './passkey-http.js';
import { addPasskeyStepRoutes } from './passkey-step-routes.js';

export { passkeyPath } from './passkey-http.js';

export interface PasskeyRouteDeps {
  provider: Provider;
  passkeys: Passkeys;
  csrf: Csrf;
  users: UserStore;
  factors: FactorStore;
  /** The pending second step after a password (pending-login.ts). */
  pending: PendingLogin;
  recovery: RecoveryCodes;
  render: Render;
}

export function buildPasskeyRoutes(deps: PasskeyRouteDeps): Router {
  const { provider, passkeys, csrf } = deps;
  const router = new Router({ prefix: '/interaction/:uid/passkey' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' });
  const ttl = passkeys.ttlSeconds;

  router.use(async (ctx, next) => {
    if (!passkeys.enabled) return fail(ctx, 404, 'Passkeys are not available here.', 'not_found');
    ctx.set('Cache-Control', 'no-store');
    return next();
  });

  // Passwordless sign-in (discoverable credentials; conditional UI too).
  router.post('/login/options', async (ctx) => {
    const d = await loadInteraction(provider, csrf, ctx);
    if (!d) return;
    const { options, ticket } = await passkeys.authenticationOptions(interactionBinding(d.uid), null);
    keepTicket(ctx, ticket, ttl);
    ctx.body = options;
  });

  router.post('/login/verify', json, async (ctx) => {
    const d = await loadInteraction(provider, csrf, ctx);
    if (!d) return;
    const body = verifyBody.safeParse(ctx.request.body);
    if (!body.success) return fail(ctx, 400, PASSKEY_MESSAGES.invalid, undefined, 'invalid');
    const result = await passkeys.verifyAuthentication({
      binding: interactionBinding(d.uid), ticket: takeTicket(ctx), response: body.data.response as never, userId: null,
      request: { ip: ctx.ip, clientId: String(d.params.client_id) },
    });
    if (!result.ok) return fail(ctx, result.reason === 'disabled' ? 403 : 400, PASSKEY_MESSAGES[result.reason], undefined, result.reason);
    // A passkey with user verification is multi-factor by itself (mfa-policy.ts
    // amrFor), so no second step follows, whatever the client or user requires.
    deps.pending.clear(ctx, d.uid);
    const amr = amrFor(result.factor);
    const outcome = { login: { accountId: result.userId, amr, acr: acrFor(amr), remember: true } };
    ctx.body = { redirect: await provider.interactionResult(ctx.req, ctx.res, outcome, { mergeWithLastSubmission: false }) };
  });

  addPasskeyStepRoutes(router, deps, json);
  return router;
}
