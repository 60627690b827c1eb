// What happens once the first factor is known: finish (no second factor
// needed), refuse (the client demands MFA but it is off here), or go to the
// second-factor or enrolment page with the pending state (pending-login.ts).
// Step-up (OpenID Connect Core §3.1.2.1 acr_values; RFC 9470 §3 for the
// idea): an SSO session whose only shortfall is the second factor is sent
// to the second factor directly, without asking for the password again.
import type { Context } from 'koa';
import type { User, UserStore } from '../users/user-store.js';
import type { FactorStore } from './factor-store.js';
import { amrFor, mfaNeed, type MfaPolicy } from './mfa-policy.js';
import { acrAsksMfa, clientRequiresMfa, MFA_REASON } from './mfa-request.js';
import type { FirstFactor } from './pending-login.js';
import { finishLogin, refuseLogin, type FinishDeps } from './finish-login.js';

export interface AfterPasswordDeps extends FinishDeps {
  factors: FactorStore;
  users: UserStore;
  policy: MfaPolicy;
}

/** The parts of oidc-provider's interactionDetails() used here. */
export interface InteractionView {
  uid: string;
  params: Record<string, unknown>;
  prompt: { name: string; reasons: string[] };
  session?: { accountId: string; amr?: string[] | undefined } | undefined;
}

export const secondFactorPath = (uid: string, mode: 'challenge' | 'enrol') => `/interaction/${uid}/mfa${mode === 'enrol' ? '/enrol' : ''}`;

export async function afterFirstFactor(
  deps: AfterPasswordDeps, ctx: Context, d: InteractionView, user: Pick<User, 'id' | 'mfaRequired'>, first: FirstFactor,
): Promise<void> {
  const client = await deps.provider.Client.find(String(d.params.client_id));
  const factors = await deps.factors.list(user.id);
  const need = mfaNeed({
    mode: deps.policy.mode, userRequired: user.mfaRequired, clientRequired: clientRequiresMfa(client?.metadata()),
    acrRequested: acrAsksMfa(d.params.acr_values, d.params.claims), hasFactor: factors.length > 0,
  });
  if (need === 'none') return finishLogin(deps, ctx, d.uid, user.id, amrFor(first));
  if (need === 'refuse') {
    return refuseLogin(deps, ctx, d.uid, 'unmet_authentication_requirements',
      'This application requires multi-factor sign-in, which is not enabled on this server.');
  }
  const mode = need === 'enrol' ? 'enrol' : 'challenge';
  deps.pending.start(ctx, { uid: d.uid, accountId: user.id, first, mode });
  ctx.status = 303;
  ctx.redirect(secondFactorPath(d.uid, mode));
}

/** The first factor of an SSO session, from the amr it was signed in with. */
export const firstFactorOf = (amr: readonly string[] | undefined): FirstFactor =>
  amr?.includes('hwk') ? 'passkey-hwk' : amr?.includes('swk') ? 'passkey-swk' : 'pwd';

// Reasons that a second factor resolves; any other (prompt=login, max_age,
// no_session, id_token_hint for another subject) needs the first factor again.
const STEP_UP_REASONS = new Set([MFA_REASON, 'essential_acr', 'essential_acrs']);

/** True when it answered: the session only lacks the second factor, and the browser was sent to it. */
export async function stepUp(deps: AfterPasswordDeps, ctx: Context, d: InteractionView): Promise<boolean> {
  const { reasons } = d.prompt;
  if (d.prompt.name !== 'login' || !d.session?.accountId) return false;
  if (!reasons.includes(MFA_REASON) || !reasons.every((r) => STEP_UP_REASONS.has(r))) return false;
  const user = await deps.users.findById(d.session.accountId);
  if (!user || user.disabled) return false;
  const pending = deps.pending.read(ctx, d.uid);
  if (pending?.accountId === user.id) {
    ctx.status = 303;
    ctx.redirect(secondFactorPath(d.uid, pending.mode));
    return true;
  }
  await afterFirstFactor(deps, ctx, d, user, firstFactorOf(d.session.amr));
  return true;
}
