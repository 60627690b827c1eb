// Passkeys (WebAuthn Level 2) over @simplewebauthn/server: registration and
// authentication ceremonies, for a passwordless sign-in (discoverable
// credentials), as a second factor after the password, and to add a passkey
// to an account. Challenges are passkey-challenge.ts's sealed single-use
// tickets; credentials live in mfa_factors (factor-store.ts). Every outcome is
// a security event `mfa.passkey.enrol` / `mfa.passkey.verify`.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Factor, FactorStore } from './factor-store.js';
import type { MfaPolicy } from './mfa-policy.js';
import type { Challenges } from './passkey-challenge.js';
import type { User, UserStore } from '../users/user-store.js';
import type { SecurityEvents } from '../security/security-events.js';

export type PasskeyFactor = 'passkey-hwk' | 'passkey-swk';

/** Why a ceremony was refused (details.reason of the failure event). */
export type PasskeyFailure =
  | 'challenge' | 'invalid' | 'unknown-credential' | 'wrong-user' | 'user-handle' | 'disabled' | 'counter' | 'duplicate';

/** What a person is told; the event keeps the precise reason. */
export const PASSKEY_MESSAGES: Record<PasskeyFailure, string> = {
  challenge: 'This passkey request has expired. Please try again.',
  invalid: 'The passkey could not be verified. Please try again.',
  'unknown-credential': 'This passkey is not registered here (it may have been removed). Please sign in another way.',
  'wrong-user': 'This passkey belongs to a different account.',
  'user-handle': 'The passkey could not be verified. Please try again.',
  disabled: 'This account is disabled. Please contact your administrator.',
  counter: 'This passkey was refused because it may have been copied. Please sign in another way and check your passkeys.',
  duplicate: 'This passkey is already registered.',
};

export interface PasskeyDeps {
  factors: FactorStore;
  users: UserStore;
  events: SecurityEvents;
  challenges: Challenges;
  policy: MfaPolicy;
}

/** Where a request came from, for the audit log. */
export interface RequestInfo {
  ip?: string | null;
  clientId?: string | null;
}

export type Ceremony<T> = { options: T; ticket: string };
export type Refused = { ok: false; reason: PasskeyFailure };

export type Passkeys = ReturnType<typeof createPasskeys>;

// WebAuthn's user.id is an opaque handle of at most 64 bytes that must not be
// personal data (Level 2 §5.4.3): the 16 bytes of the user's UUID.
const userHandle = (userId: string) => Buffer.from(userId.replace(/-/g, ''), 'hex');
const passkeysOf = async (factors: FactorStore, userId: string) =>
  (await factors.list(userId)).filter((f): f is Factor & { passkey: NonNullable<Factor['passkey']> } => f.passkey !== null);
const descriptor = (f: { passkey: { credentialId: string; transports: string[] } }) =>
  ({ id: f.passkey.credentialId, transports: f.passkey.transports as never });

/** A synced (backed-up, multi-device) passkey is RFC 8176 `swk`; one bound to its device `hwk`. */
export const factorOf = (deviceType: string, backedUp: boolean): PasskeyFactor =>
  deviceType === 'multiDevice' || backedUp ? 'passkey-swk' : 'passkey-hwk';

export function createPasskeys(deps: PasskeyDeps) {
  const { factors, users, events, challenges, policy } = deps;
  const rp = () => {
    if (!policy.rpId) throw new Error('passkeys need a domain relying party id (the issuer is an IP address)');
    return { rpID: policy.rpId, origin: policy.origin };
  };
  const timeout = challenges.ttlSeconds * 1000;
  const audit = (action: 'enrol' | 'verify', outcome: 'success' | 'failure', subject: string | null, req: RequestInfo, details: Record<string, unknown>) =>
    events.record({ type: `mfa.passkey.${action}`, outcome, subject, ip: req.ip ?? null, clientId: req.clientId ?? null, details });

  return {
    /** False when the issuer is an IP address: no page offers passkeys then. */
    enabled: policy.rpId !== null,
    /** How long a ceremony's challenge lives (the ticket cookie's max age). */
    ttlSeconds: challenges.ttlSeconds,

    /** Options for navigator.credentials.create(): a discoverable passkey for this user. */
    async registrationOptions(user: User, binding: string): Promise<Ceremony<PublicKeyCredentialCreationOptionsJSON>> {
      const options = await generateRegistrationOptions({
        rpName: policy.rpName, rpID: rp().rpID, userName: user.email, userDisplayName: user.name ?? user.email,
        userID: userHandle(user.id), timeout, attestationType: 'none',
        excludeCredentials: (await passkeysOf(factors, user.id)).map(descriptor),
        // residentKey required: the passkey can later sign in without an email (Level 2 §5.4.4).
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      });
      return { options, ticket: challenges.issue('register', binding, options.challenge, user.id) };
    },

    /** Verifies the attestation (format none accepted) and stores the passkey. */
    async verifyRegistration(input: {
      user: User; binding: string; ticket: string | undefined; response: RegistrationResponseJSON; name?: string; request?: RequestInfo;
    }): Promise<{ ok: true; factor: Factor } | Refused> {
      const { user, request = {} } = input;
      const refuse = async (reason: PasskeyFailure): Promise<Refused> => {
        await audit('enrol', 'failure', user.id, request, { reason });
        return { ok: false, reason };
      };
      const state = await challenges.spend(input.ticket, 'register', input.binding);
      if (!state || state.userId !== user.id) return refuse('challenge');
      const { rpID, origin } = rp();
      let info;
      try {
        const result = await verifyRegistrationResponse({
          response: input.response, expectedChallenge: state.challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false,
        });
        if (!result.verified) return refuse('invalid');
        info = result.registrationInfo;
      } catch {
        return refuse('invalid');
      }
      if (await factors.findPasskey(info.credential.id)) return refuse('duplicate');
      const factor = await factors.addPasskey(user.id, input.name?.trim() || 'Passkey', {
        credentialId: info.credential.id, publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        signCount: info.credential.counter, transports: info.credential.transports ?? input.response.response.transports ?? [],
        deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp, aaguid: info.aaguid,
      });
      await audit('enrol', 'success', user.id, request, { factorId: factor.id, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp });
      return { ok: true, factor };
    },

    /**
     * Options for navigator.credentials.get(). Passwordless (`userId` null):
     * no allowCredentials, so the browser offers its discoverable passkeys
     * for this RP (and conditional UI can list them); user verification required.
     * Second factor: the user's own credentials, user verification preferred.
     */
    async authenticationOptions(binding: string, userId: string | null): Promise<Ceremony<PublicKeyCredentialRequestOptionsJSON>> {
      const allowCredentials = userId ? (await passkeysOf(factors, userId)).map(descriptor) : [];
      const options = await generateAuthenticationOptions({
        rpID: rp().rpID, allowCredentials, timeout, userVerification: userId ? 'preferred' : 'required',
      });
      return { options, ticket: challenges.issue(userId ? 'second-factor' : 'login', binding, options.challenge, userId) };
    },

    /** Verifies an assertion; for a second factor, only one of `userId`'s own passkeys is accepted. */
    async verifyAuthentication(input: {
      binding: string; ticket: string | undefined; response: AuthenticationResponseJSON; userId: string | null; request?: RequestInfo;
    }): Promise<{ ok: true; userId: string; factor: PasskeyFactor } | Refused> {
      const { request = {}, response } = input;
      const mode = input.userId ? 'second-factor' : 'passwordless';
      const refuse = async (reason: PasskeyFailure, subject: string | null): Promise<Refused> => {
        await audit('verify', 'failure', subject, request, { reason, mode });
        return { ok: false, reason };
      };
      const state = await challenges.spend(input.ticket, input.userId ? 'second-factor' : 'login', input.binding);
      if (!state || state.userId !== input.userId) return refuse('challenge', input.userId);
      const found = typeof response?.id === 'string' ? await factors.findPasskey(response.id) : null;
      if (!found?.passkey) return refuse('unknown-credential', input.userId);
      if (input.userId && found.userId !== input.userId) return refuse('wrong-user', input.userId);
      // Passwordless: the authenticator names the account (userHandle, Level 2
      // §7.2 step 6); it must be the credential's owner.
      if (!input.userId && response.response.userHandle !== userHandle(found.userId).toString('base64url')) {
        return refuse('user-handle', found.userId);
      }
      const user = await users.findById(found.userId);
      if (!user || user.disabled) return refuse('disabled', found.userId);
      const stored = found.passkey;
      const { rpID, origin } = rp();
      let info;
      try {
        const result = await verifyAuthenticationResponse({
          response, expectedChallenge: state.challenge, expectedOrigin: origin, expectedRPID: rpID,
          // Counter 0 here: the counter rule is checked below, so that a refusal is told apart and audited.
          credential: { id: stored.credentialId, publicKey: Buffer.from(stored.publicKey, 'base64url'), counter: 0, transports: stored.transports as never },
          requireUserVerification: !input.userId,
        });
        if (!result.verified) return refuse('invalid', user.id);
        info = result.authenticationInfo;
      } catch {
        return refuse('invalid', user.id);
      }
      // Level 2 §7.2 step 21: a counter that does not move forward when the
      // authenticator keeps one (either value non-zero) signals a cloned authenticator.
      const next = info.newCounter;
      if ((next > 0 || stored.signCount > 0) && next <= stored.signCount) return refuse('counter', user.id);
      if (!(await factors.usePasskey(found.id, stored.signCount, next, info.credentialBackedUp))) return refuse('counter', user.id);
      const factor = factorOf(info.credentialDeviceType, info.credentialBackedUp);
      await audit('verify', 'success', user.id, request, { mode, factorId: found.id, factor });
      return { ok: true, userId: user.id, factor };
    },
  };
}
