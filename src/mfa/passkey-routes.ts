// JSON endpoints of the passkey ceremonies inside an interaction
// (public/js/passkey.js calls them): `…/options` answers the WebAuthn options
// and keeps the sealed challenge in a cookie scoped to this interaction's
// passkey path; `…/verify` checks the browser's answer and replies with the
// URL to go on to. Thin: the ceremonies are passkeys.ts. CSRF: the page's
// token (interaction/csrf.ts) comes back in the X-CSRF-Token header; a JSON
// body cannot be sent cross-site without a CORS preflight either, which this
// server never grants.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Csrf } from '../interaction/csrf.js';
import { acrFor, amrFor } from './mfa-policy.js';
import { PASSKEY_MESSAGES, type Passkeys } from './passkeys.js';

export interface PasskeyRouteDeps {
  provider: Provider;
  passkeys: Passkeys;
  csrf: Csrf;
}

const COOKIE = 'gatehouse.passkey';
const verifyBody = z.object({ response: z.object({ id: z.string().max(1024) }).passthrough() });

/** The base path of one interaction's passkey endpoints (views link to it). */
export const passkeyPath = (uid: string) => `/interaction/${uid}/passkey`;
export const interactionBinding = (uid: string) => `interaction:${uid}`;

/** Answers a JSON error in the OAuth shape the error handler also uses. */
function fail(ctx: Context, status: number, message: string, error = 'passkey_refused') {
  ctx.status = status;
  ctx.body = { error, error_description: message };
}

export function buildPasskeyRoutes(deps: PasskeyRouteDeps): Router {
  const { provider, passkeys, csrf } = deps;
  const router = new Router({ prefix: '/interaction/:uid/passkey' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' });

  /** The interaction at the login prompt, with the CSRF header checked; null after answering an error. */
  async function interaction(ctx: Context) {
    const d = await provider.interactionDetails(ctx.req, ctx.res).catch(() => null);
    if (!d || d.uid !== ctx.params.uid) {
      fail(ctx, 400, 'This sign-in link has expired. Please return to the application and try again.', 'invalid_request');
      return null;
    }
    if (!csrf.verify(d.uid, ctx.get('x-csrf-token'))) {
      fail(ctx, 403, 'This page has expired. Please reload it and try again.', 'invalid_request');
      return null;
    }
    if (d.prompt.name !== 'login') {
      fail(ctx, 400, 'Sign-in is not expected at this step.', 'invalid_request');
      return null;
    }
    return d;
  }

  const keepTicket = (ctx: Context, ticket: string) =>
    ctx.cookies.set(COOKIE, ticket, {
      httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: passkeyPath(ctx.params.uid!),
      maxAge: 300_000, overwrite: true, signed: false,
    });
  // Read once, then cleared: a ticket serves one verification.
  const takeTicket = (ctx: Context) => {
    const ticket = ctx.cookies.get(COOKIE, { signed: false });
    ctx.cookies.set(COOKIE, '', { path: passkeyPath(ctx.params.uid!), maxAge: 0, overwrite: true, signed: false });
    return ticket;
  };

  router.use(async (ctx, next) => {
    if (!passkeys.enabled) return fail(ctx, 404, 'Passkeys are not available here.', 'not_found');
    ctx.set('Cache-Control', 'no-store');
    return next();
  });

  // Passwordless sign-in (discoverable credentials; conditional UI too).
  router.post('/login/options', async (ctx) => {
    const d = await interaction(ctx);
    if (!d) return;
    const { options, ticket } = await passkeys.authenticationOptions(interactionBinding(d.uid), null);
    keepTicket(ctx, ticket);
    ctx.body = options;
  });

  router.post('/login/verify', json, async (ctx) => {
    const d = await interaction(ctx);
    if (!d) return;
    const body = verifyBody.safeParse(ctx.request.body);
    if (!body.success) return fail(ctx, 400, PASSKEY_MESSAGES.invalid);
    const result = await passkeys.verifyAuthentication({
      binding: interactionBinding(d.uid), ticket: takeTicket(ctx), response: body.data.response as never, userId: null,
      request: { ip: ctx.ip, clientId: String(d.params.client_id) },
    });
    if (!result.ok) return fail(ctx, result.reason === 'disabled' ? 403 : 400, PASSKEY_MESSAGES[result.reason]);
    const amr = amrFor(result.factor);
    const outcome = { login: { accountId: result.userId, amr, acr: acrFor(amr), remember: true } };
    ctx.body = { redirect: await provider.interactionResult(ctx.req, ctx.res, outcome, { mergeWithLastSubmission: false }) };
  });

  return router;
}
