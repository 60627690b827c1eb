// Builds the /account router from the composition's parts (called by
// src/app.ts with the signing keys of the current provider, which verify the
// account client's ID tokens).
import type Router from '@koa/router';
import type { PrivateJwk } from '../keys/key-store.js';
import type { MfaMode } from '../mfa/mfa-policy.js';
import { createTokenVerifier } from '../self-client/token-verifier.js';
import { buildAccount, type AccountDeps } from './account-router.js';
import { createFactorChanges, type FactorChangeDeps } from './factor-changes.js';
import { newRecoveryCode, RECOVERY_CODE_COUNT } from '../mfa/recovery-codes.js';
import type { MfaServices } from '../mfa/mfa-services.js';
import type { Passkeys } from '../mfa/passkeys.js';
import type { I18n } from '../i18n/i18n.js';
import type { Messages } from '../mail/messages.js';
import type { PasswordPolicy } from '../users/password-policy.js';
import type { ThrottleRule } from '../security/throttle-policy.js';
import type { UserTokenStore } from '../users/user-token-store.js';
import type { GrantStore } from '../oidc/grant-store.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { ClientStore } from '../clients/client-store.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { EndSessions } from '../oidc/end-sessions.js';
import { createProfileChanges } from './profile-changes.js';
import { createPasswordChange } from './password-change.js';
import { createSessionChanges } from './session-changes.js';
import { createAccountMail } from './account-mail.js';
import type { SelfServiceDeps } from './self-service-pages.js';

export type AccountPagesDeps = Pick<AccountDeps, 'issuer' | 'clientSecret' | 'sessions' | 'render' | 'csrf' | 'reauthSeconds'> & {
  jwks: PrivateJwk[];
  mfaMode: MfaMode;
  mfa: Pick<MfaServices, 'totp' | 'recovery'>;
  passkeys: Passkeys;
  stores: Pick<FactorChangeDeps, 'users' | 'factors' | 'recoveryCodes' | 'events'> & {
    userTokens: UserTokenStore; grants: GrantStore; consents: ConsentStore; clients: ClientStore; throttle: ThrottleStore;
  };
  i18n: I18n;
  /** Emails through the shared layout (mail/messages.ts). */
  messages: Messages;
  passwordPolicy: PasswordPolicy;
  /** Failures of the current password count like sign-in's for one account (policies.throttle.account). */
  passwordRule: ThrottleRule;
  /** Ends SSO sessions and sends back-channel logout (oidc/end-sessions.ts). */
  endSessions: EndSessions;
  currentSession: SelfServiceDeps['currentSession'];
};

export function buildAccountPages(deps: AccountPagesDeps): Router {
  const { stores } = deps;
  const factorChanges = createFactorChanges({ ...stores, mfaMode: deps.mfaMode, generateRecoveryCodes: () => Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode) });
  const mail = createAccountMail({ issuer: deps.issuer, messages: deps.messages });
  const sessions = createSessionChanges({ ...stores, endSessions: deps.endSessions });
  const selfService = {
    profile: createProfileChanges({ ...stores, sendConfirmation: mail.sendConfirmation, sendNotice: mail.sendNotice, sendInUse: mail.sendInUse }),
    changePassword: createPasswordChange({ ...stores, policy: deps.passwordPolicy, rule: deps.passwordRule, sessions }),
    sessions, i18n: deps.i18n, currentSession: deps.currentSession, passwordMinLength: deps.passwordPolicy.minLength,
  };
  return buildAccount({
    selfService,
    ...deps, verifier: createTokenVerifier(deps.issuer, deps.jwks), users: stores.users, events: stores.events, factorChanges,
    enrol: { totp: deps.mfa.totp, recovery: deps.mfa.recovery, factors: stores.factors },
    passkeys: { passkeys: deps.passkeys, recovery: deps.mfa.recovery },
  });
}
