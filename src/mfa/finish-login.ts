// Ends the sign-in step of an interaction: the login result oidc-provider
// stores in the session (accountId, RFC 8176 amr, the acr that amr earns)
// and the 303 back to the authorization endpoint. Every way of signing in
// (password only, password + second factor, passkey) finishes here.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { acrFor } from './mfa-policy.js';
import type { PendingLogin } from './pending-login.js';

export interface FinishDeps {
  provider: Provider;
  pending: PendingLogin;
}

export async function finishLogin(deps: FinishDeps, ctx: Context, uid: string, accountId: string, amr: string[]): Promise<void> {
  deps.pending.clear(ctx, uid);
  const result = { login: { accountId, amr, acr: acrFor(amr), remember: true } };
  const to = await deps.provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(to);
}

/**
 * Ends the interaction with an error the client receives (OpenID Connect
 * Core §3.1.2.6; unmet_authentication_requirements is from OpenID Connect
 * Unmet Authentication Requirements 1.0).
 */
export async function refuseLogin(deps: FinishDeps, ctx: Context, uid: string, error: string, description: string): Promise<void> {
  deps.pending.clear(ctx, uid);
  const to = await deps.provider.interactionResult(ctx.req, ctx.res, { error, error_description: description }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(to);
}
