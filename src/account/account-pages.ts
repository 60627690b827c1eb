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

export type AccountPagesDeps = Pick<AccountDeps, 'issuer' | 'clientSecret' | 'sessions' | 'render' | 'csrf' | 'reauthSeconds'> & {
  jwks: PrivateJwk[];
  mfaMode: MfaMode;
  mfa: Pick<MfaServices, 'totp' | 'recovery'>;
  passkeys: Passkeys;
  stores: Pick<FactorChangeDeps, 'users' | 'factors' | 'recoveryCodes' | 'events'>;
};

export function buildAccountPages(deps: AccountPagesDeps): Router {
  const { stores } = deps;
  const factorChanges = createFactorChanges({ ...stores, mfaMode: deps.mfaMode, generateRecoveryCodes: () => Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode) });
  return buildAccount({
    ...deps, verifier: createTokenVerifier(deps.issuer, deps.jwks), users: stores.users, events: stores.events, factorChanges,
    enrol: { totp: deps.mfa.totp, recovery: deps.mfa.recovery, factors: stores.factors },
    passkeys: { passkeys: deps.passkeys, recovery: deps.mfa.recovery },
  });
}
