// When a sign-in needs a second factor, and what it is called in tokens.
// Pure rules, no I/O: the deployment's mode (MFA_POLICY), the user's and the
// client's requirement, and the acr a relying party asked for (OpenID Connect
// Core §3.1.2.1 acr_values; RFC 9470 for the step-up idea) decide; amr values
// are RFC 8176's.
import type { Config } from '../config.js';

export type MfaMode = 'off' | 'optional' | 'required';

/** acr values, lowest first; discovery lists them (acr_values_supported). */
export const ACR_PASSWORD = 'urn:gatehouse:acr:password';
export const ACR_MFA = 'urn:gatehouse:acr:mfa';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA];

// Other names relying parties commonly send for "multi-factor" (the PAPE
// policy URI, the bare RFC 8176 amr value): treated as a request for ACR_MFA.
const MFA_ALIASES = new Set([ACR_MFA, 'mfa', 'http://schemas.openid.net/pape/policies/2007/06/multi-factor']);

/** True when the space-separated acr_values (or an essential acr claim's values) ask for MFA. */
export const acrRequestsMfa = (values: readonly string[]) => values.some((v) => MFA_ALIASES.has(v));

export interface MfaPolicy {
  mode: MfaMode;
  /** WebAuthn relying party id (a registrable domain: never an IP address) and origin. */
  rpId: string | null;
  rpName: string;
  origin: string;
}

export function mfaPolicy(config: Config): MfaPolicy {
  const url = new URL(config.issuer);
  const host = url.hostname;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
  return { mode: config.MFA_POLICY, rpId: config.WEBAUTHN_RP_ID ?? (isIp ? null : host), rpName: config.WEBAUTHN_RP_NAME, origin: url.origin };
}

export interface MfaDemand {
  mode: MfaMode;
  /** An admin required MFA for the user (users.mfa_required). */
  userRequired: boolean;
  /** The client's `require_mfa` metadata. */
  clientRequired: boolean;
  /** acr_values (or claims.id_token.acr) asked for MFA. */
  acrRequested: boolean;
  /** The user has at least one confirmed factor. */
  hasFactor: boolean;
}

/** Whether MFA is demanded for this sign-in, whatever the user has enrolled. */
export const mfaDemanded = (d: Omit<MfaDemand, 'hasFactor'>) =>
  d.mode === 'required' || d.userRequired || d.clientRequired || d.acrRequested;

/**
 * After the first factor: 'none' finishes the sign-in, 'challenge' asks for a
 * second factor, 'enrol' walks the user through enrolment first, 'refuse'
 * ends the request (MFA is off here but the client demands it).
 */
export function mfaNeed(d: MfaDemand): 'none' | 'challenge' | 'enrol' | 'refuse' {
  if (d.mode === 'off') return d.clientRequired ? 'refuse' : 'none';
  // A user who has enrolled a factor is always asked for it.
  if (d.hasFactor) return 'challenge';
  return mfaDemanded(d) ? 'enrol' : 'none';
}

export type SecondFactor = 'totp' | 'recovery' | 'passkey-hwk' | 'passkey-swk';

/** RFC 8176 §2 amr of a completed sign-in: the first factor, then the second if any. */
export function amrFor(first: 'pwd' | 'passkey-hwk' | 'passkey-swk', second?: SecondFactor): string[] {
  const name = (f: string) => (f === 'totp' || f === 'recovery' ? 'otp' : f === 'passkey-hwk' ? 'hwk' : f === 'passkey-swk' ? 'swk' : f);
  // A passkey with user verification is itself multi-factor (possession plus
  // a PIN or biometric: WebAuthn Level 2 §6.2.3), so passwordless counts as mfa.
  const factors = [name(first), ...(second ? [name(second)] : [])];
  const multi = second !== undefined || first !== 'pwd';
  return [...new Set(multi ? [...factors, 'mfa'] : factors)];
}

/** The acr of a sign-in with this amr. */
export const acrFor = (amr: readonly string[]) => (amr.includes('mfa') ? ACR_MFA : ACR_PASSWORD);
