// The second-factor services the browser flows share (sign-in here; the
// account security page and the passkey ceremonies use the same ones): built
// once in the composition root (src/main.ts) as services.mfa.
import type { SecretBox } from '../crypto/secret-box.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { ThrottleRules } from '../security/throttle-rules.js';
import type { FactorStore } from './factor-store.js';
import type { RecoveryCodeStore } from './recovery-code-store.js';
import type { MfaPolicy } from './mfa-policy.js';
import { createMfaGuard, type MfaGuard } from './mfa-throttle.js';
import { createTotp, type Totp } from './totp.js';
import { createRecoveryCodes, type RecoveryCodes } from './recovery-codes.js';
import { createPendingLogin, type PendingLogin } from './pending-login.js';

export interface MfaServices {
  /** The state between first and second factor (pending-login.ts). */
  pending: PendingLogin;
  totp: Totp;
  recovery: RecoveryCodes;
  /** Throttles any second-factor check like a password (mfa-throttle.ts). */
  guard: MfaGuard;
}

export interface MfaServiceDeps {
  factors: FactorStore;
  recoveryCodes: RecoveryCodeStore;
  events: SecurityEvents;
  throttle: ThrottleStore;
  rules: ThrottleRules;
  policy: MfaPolicy;
  /** Seals the pending state; its own purpose (crypto/secret-box.ts). */
  pendingBox: SecretBox;
}

export function createMfaServices(d: MfaServiceDeps): MfaServices {
  const guard = createMfaGuard(d.throttle, d.rules);
  return {
    pending: createPendingLogin(d.pendingBox),
    totp: createTotp({ factors: d.factors, events: d.events, guard, issuer: d.policy.rpName }),
    recovery: createRecoveryCodes({ recoveryCodes: d.recoveryCodes, events: d.events, guard }),
    guard,
  };
}
