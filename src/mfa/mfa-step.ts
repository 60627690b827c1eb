// Shared by the second-factor and enrolment routes: load the interaction and
// its pending state (pending-login.ts), check the CSRF token, render a page.
import type { Context } from 'koa';
import type { Render } from '../http/views.js';
import { waitText } from '../i18n/i18n.js';
import type { Csrf } from '../interaction/csrf.js';
import type { Totp } from './totp.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { AfterPasswordDeps, InteractionView } from './after-password.js';
import type { PendingState } from './pending-login.js';

export interface SecondFactorDeps extends AfterPasswordDeps {
  render: Render;
  csrf: Csrf;
  totp: Totp;
  recovery: RecoveryCodes;
}

export const EXPIRED = 'This sign-in step has expired. Please return to the application and try again.';

/** Catalogue text (locales mfa.errors.locked*), translated in the view. */
export const lockedMessage = (seconds: number) => waitText('mfa.errors.locked', seconds);

export interface Step {
  d: InteractionView;
  state: PendingState;
  clientId: string;
  clientName: string | null;
  csrfToken: string;
}

/** The interaction of this URL and its pending second step, or an error page (400). */
export async function loadStep(deps: SecondFactorDeps, ctx: Context): Promise<Step> {
  const d = await deps.provider.interactionDetails(ctx.req, ctx.res);
  if (d.uid !== ctx.params.uid || d.prompt.name !== 'login') ctx.throw(400, EXPIRED, { reason: 'expired' });
  const state = deps.pending.read(ctx, d.uid);
  if (!state) ctx.throw(400, EXPIRED, { reason: 'expired' });
  if (ctx.method === 'POST') {
    const token = (ctx.request.body as Record<string, unknown> | undefined)?._csrf;
    if (!deps.csrf.verify(d.uid, token)) ctx.throw(403, 'This form has expired. Please go back and try again.', { reason: 'csrf' });
  }
  const clientId = String(d.params.client_id);
  const client = await deps.provider.Client.find(clientId);
  return { d, state, clientId, clientName: client?.clientName ?? null, csrfToken: deps.csrf.token(d.uid) };
}

export async function page(deps: SecondFactorDeps, ctx: Context, view: string, locals: Record<string, unknown>, status = 200) {
  ctx.type = 'html';
  // Secrets and recovery codes are on some of these pages: never cached.
  ctx.set('Cache-Control', 'no-store');
  ctx.body = await deps.render(view, { lang: ctx.state.lang, ...locals });
  ctx.status = status;
}

/** The submitted code (the only thing the second step takes from the form). */
export const formCode = (ctx: Context) => {
  const code = (ctx.request.body as Record<string, unknown> | undefined)?.code;
  return typeof code === 'string' ? code.slice(0, 64) : '';
};
