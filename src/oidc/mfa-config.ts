// The provider side of multi-factor sign-in (src/mfa/): the acr values
// discovery lists (acr_values_supported), acr and amr in every id_token
// (RFC 8176; OpenID Connect Core §2), the client's `require_mfa` metadata,
// and the login prompt's step-up check: an SSO session without the MFA acr
// goes back to the interaction when this request demands MFA (OpenID
// Connect Core §3.1.2.1 acr_values; RFC 9470 §3 for the idea), where only
// the second factor is asked (src/mfa/after-password.ts stepUp).
import { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { UserStore } from '../users/user-store.js';
import { ACR_MFA, ACR_VALUES, mfaDemanded, type MfaMode } from '../mfa/mfa-policy.js';
import { acrAsksMfa, clientRequiresMfa, MFA_REASON, REQUIRE_MFA } from '../mfa/mfa-request.js';

type ExtraClientMetadata = NonNullable<Configuration['extraClientMetadata']>;

/** Adds `require_mfa` (a boolean) to the extra client metadata other modules register (token-config.ts). */
export function withRequireMfa(extra: ExtraClientMetadata | undefined): ExtraClientMetadata {
  return {
    properties: [...(extra?.properties ?? []), REQUIRE_MFA],
    validator(ctx, key, value, metadata) {
      if (key === REQUIRE_MFA) {
        if (value !== undefined && typeof value !== 'boolean') throw new errors.InvalidClientMetadata(`${REQUIRE_MFA} must be a boolean`);
        return;
      }
      return extra?.validator?.(ctx, key, value, metadata);
    },
  };
}

/**
 * Whether this request demands a second factor the session does not have.
 * With MFA off only a client's require_mfa counts, and the interaction then
 * refuses (mfa-policy.ts mfaNeed 'refuse').
 */
function stepUpCheck(mode: MfaMode, users: UserStore) {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const accountId = oidc.session?.accountId;
    if (!accountId || oidc.acr === ACR_MFA) return false;
    const clientRequired = clientRequiresMfa(oidc.client?.metadata() as Record<string, unknown> | undefined);
    if (mode === 'off') return clientRequired;
    const acrRequested = acrAsksMfa(undefined, { id_token: oidc.claims?.id_token });
    if (mode === 'required' || clientRequired || acrRequested) return true;
    const user = await users.findById(accountId);
    return mfaDemanded({ mode, userRequired: user?.mfaRequired ?? false, clientRequired, acrRequested });
  };
}

/** The interaction policy: oidc-provider's base prompts, with the step-up check on 'login'. */
export function mfaInteractionPolicy(mode: MfaMode, users: UserStore) {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(new interactionPolicy.Check(
    MFA_REASON, 'multi-factor authentication is required', 'login_required', stepUpCheck(mode, users),
  ));
  return policy;
}

/** Claims config with acr and amr released in every id_token (with the openid scope). */
export function withAcrAmr(claims: Record<string, string[]>): Record<string, string[]> {
  return { ...claims, openid: [...new Set([...(claims.openid ?? []), 'acr', 'amr'])] };
}

export { ACR_VALUES };
