// Passkeys in the second step after a password (pending-login.ts holds who
// signed in and how far): as the second factor on the challenge page, and
// registered instead of an authenticator app in the enrolment walkthrough
// (enrol-routes.ts), which then shows the first recovery codes and finishes
// through the flow's own POST …/mfa/finish. Same JSON shape as passkey-routes.ts.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { acrFor, amrFor } from './mfa-policy.js';
import { factorOf, PASSKEY_MESSAGES } from './passkeys.js';
import { fail, interactionBinding, keepTicket, loadInteraction, passkeyPath, takeTicket, verifyBody } from './passkey-http.js';
import { EXPIRED } from './mfa-step.js';
import type { PendingState } from './pending-login.js';
import type { PasskeyRouteDeps } from './passkey-routes.js';

const mfaPath = (uid: string) => `/interaction/${uid}/mfa`;

export function addPasskeyStepRoutes(router: Router, deps: PasskeyRouteDeps, json: Middleware): void {
  const { provider, passkeys, csrf } = deps;
  const ttl = passkeys.ttlSeconds;

  /** The interaction and its pending step in this mode, not yet verified; null after answering. */
  async function step(ctx: Context, mode: PendingState['mode']) {
    const d = await loadInteraction(provider, csrf, ctx);
    if (!d) return null;
    const state = deps.pending.read(ctx, d.uid);
    if (!state || state.mode !== mode || state.verified) {
      fail(ctx, 400, EXPIRED, 'invalid_request');
      return null;
    }
    return { d, state, request: { ip: ctx.ip, clientId: String(d.params.client_id) } };
  }

  /** The user enrolling; like enrol-routes.ts, only while they have no second factor. */
  async function enrolling(ctx: Context, s: NonNullable<Awaited<ReturnType<typeof step>>>) {
    const [user, factors] = await Promise.all([deps.users.findById(s.state.accountId), deps.factors.list(s.state.accountId)]);
    if (user && !user.disabled && !factors.length) return user;
    fail(ctx, 400, 'A second factor is already set up for this account. Please start the sign-in again.', 'invalid_request');
    return null;
  }

  router.post('/second-factor/options', async (ctx) => {
    const s = await step(ctx, 'challenge');
    if (!s) return;
    const { options, ticket } = await passkeys.authenticationOptions(interactionBinding(s.d.uid), s.state.accountId);
    keepTicket(ctx, ticket, ttl);
    ctx.body = options;
  });

  router.post('/second-factor/verify', json, async (ctx) => {
    const s = await step(ctx, 'challenge');
    if (!s) return;
    const body = verifyBody.safeParse(ctx.request.body);
    if (!body.success) return fail(ctx, 400, PASSKEY_MESSAGES.invalid, undefined, 'invalid');
    const result = await passkeys.verifyAuthentication({
      binding: interactionBinding(s.d.uid), ticket: takeTicket(ctx), response: body.data.response as never,
      userId: s.state.accountId, request: s.request,
    });
    if (!result.ok) return fail(ctx, result.reason === 'disabled' ? 403 : 400, PASSKEY_MESSAGES[result.reason], undefined, result.reason);
    deps.pending.clear(ctx, s.d.uid);
    const amr = amrFor(s.state.first, result.factor);
    const outcome = { login: { accountId: s.state.accountId, amr, acr: acrFor(amr), remember: true } };
    ctx.body = { redirect: await provider.interactionResult(ctx.req, ctx.res, outcome, { mergeWithLastSubmission: false }) };
  });

  router.post('/register/options', async (ctx) => {
    const s = await step(ctx, 'enrol');
    const user = s && (await enrolling(ctx, s));
    if (!s || !user) return;
    const { options, ticket } = await passkeys.registrationOptions(user, interactionBinding(s.d.uid));
    keepTicket(ctx, ticket, ttl);
    ctx.body = options;
  });

  router.post('/register/verify', json, async (ctx) => {
    const s = await step(ctx, 'enrol');
    const user = s && (await enrolling(ctx, s));
    if (!s || !user) return;
    const body = verifyBody.safeParse(ctx.request.body);
    if (!body.success) return fail(ctx, 400, PASSKEY_MESSAGES.invalid, undefined, 'invalid');
    const result = await passkeys.verifyRegistration({
      user, binding: interactionBinding(s.d.uid), ticket: takeTicket(ctx), response: body.data.response as never,
      name: body.data.name, request: s.request,
    });
    if (!result.ok) return fail(ctx, 400, PASSKEY_MESSAGES[result.reason], undefined, result.reason);
    // Registering with the authenticator's user presence (and verification
    // where it has one) is this sign-in's second factor.
    const pk = result.factor.passkey!;
    deps.pending.update(ctx, { ...s.state, verified: factorOf(pk.deviceType, pk.backedUp) });
    ctx.body = { redirect: `${passkeyPath(s.d.uid)}/registered` };
  });

  // After registering: the first recovery codes, shown once (a reload shows
  // the continue page instead of new codes), then POST …/mfa/finish.
  router.get('/registered', async (ctx) => {
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    const state = d.uid === ctx.params.uid ? deps.pending.read(ctx, d.uid) : null;
    if (!state || state.mode !== 'enrol' || !state.verified?.startsWith('passkey')) return ctx.throw(400, EXPIRED, { reason: 'expired' });
    const client = await provider.Client.find(String(d.params.client_id));
    const common = { lang: ctx.state.lang, csrfToken: csrf.token(d.uid), clientName: client?.clientName ?? null, action: `${mfaPath(d.uid)}/finish` };
    const fresh = (await deps.recovery.remaining(state.accountId)) === 0;
    const codes = fresh ? await deps.recovery.enrol(state.accountId, { ip: ctx.ip, clientId: String(d.params.client_id) }) : null;
    ctx.type = 'html';
    ctx.body = codes
      ? await deps.render('mfa-recovery-codes', { ...common, title: 'Save your recovery codes', codes })
      : await deps.render('mfa-continue', { ...common, title: 'Verified', remaining: null });
  });
}
