// What an authorization request asks of the sign-in: acr values (OpenID
// Connect Core §3.1.2.1 acr_values, §5.5.1.1 claims.id_token.acr) and the
// client's `require_mfa` metadata (registered in src/oidc/mfa-config.ts).
import { ACR_MFA, acrRequestsMfa } from './mfa-policy.js';

export const REQUIRE_MFA = 'require_mfa';

type AcrRequest = { value?: unknown; values?: unknown } | null | undefined;

/** The acr values requested through acr_values and the claims parameter. */
export function requestedAcrs(acrValues: unknown, claims: unknown): string[] {
  const out = typeof acrValues === 'string' ? acrValues.split(' ').filter(Boolean) : [];
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      parsed = null;
    }
  }
  const acr = (parsed as { id_token?: { acr?: AcrRequest } } | null)?.id_token?.acr;
  if (acr && typeof acr.value === 'string') out.push(acr.value);
  if (acr && Array.isArray(acr.values)) out.push(...acr.values.filter((v): v is string => typeof v === 'string'));
  return out;
}

export const acrAsksMfa = (acrValues: unknown, claims: unknown) => acrRequestsMfa(requestedAcrs(acrValues, claims));

/** The client metadata flag (anything but `true` is false). */
export const clientRequiresMfa = (metadata: Record<string, unknown> | undefined) => metadata?.[REQUIRE_MFA] === true;

export { ACR_MFA };

/** The reason of the login prompt's check that asks for step-up (src/oidc/mfa-config.ts). */
export const MFA_REASON = 'mfa_required';
