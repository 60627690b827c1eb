// WebAuthn ceremony challenges (WebAuthn Level 2 §13.4.3: random, kept by the
// relying party, used once). The state travels as a sealed ticket (AES-GCM
// under its own purpose, crypto/secret-box.ts) that the routes keep in a
// path-scoped HttpOnly cookie, so the browser can neither read nor forge it;
// it names the ceremony's purpose, what it is bound to (an interaction uid or
// an account session) and, for a known user, the user. "Used once" is a row
// in the shared throttles table (security/throttle-store.ts attempt(), one
// atomic statement): the first spend of a challenge is admitted and locks its
// key for the challenge's lifetime, so a replay on any instance is refused.
// Markers whose lifetime has passed are swept at most once a minute per
// instance (their challenges have expired, so they guard nothing any more).
import { createHash } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import type { ThrottleStore } from '../security/throttle-store.js';

export type CeremonyPurpose = 'login' | 'second-factor' | 'register';

export interface ChallengeState {
  purpose: CeremonyPurpose;
  /** e.g. `interaction:<uid>` or `account:<session id>`. */
  binding: string;
  challenge: string;
  /** The user the ceremony is for; null for a passwordless sign-in. */
  userId: string | null;
  expiresAt: number;
}

export interface ChallengeDeps {
  box: SecretBox;
  throttle: ThrottleStore;
  ttlSeconds?: number;
  now?: () => number;
}

export type Challenges = ReturnType<typeof createChallenges>;

const PURPOSES: readonly string[] = ['login', 'second-factor', 'register'];
const PREFIX = 'passkey:challenge:';
const SWEEP_EVERY_MS = 60_000;

function parse(box: SecretBox, ticket: string): ChallengeState | null {
  try {
    const s = JSON.parse(box.open(ticket)) as Partial<ChallengeState>;
    const ok = typeof s.purpose === 'string' && PURPOSES.includes(s.purpose) && typeof s.binding === 'string'
      && typeof s.challenge === 'string' && (s.userId === null || typeof s.userId === 'string') && typeof s.expiresAt === 'number';
    return ok ? (s as ChallengeState) : null;
  } catch {
    return null;
  }
}

export function createChallenges({ box, throttle, ttlSeconds = 300, now = Date.now }: ChallengeDeps) {
  const rule = { maxFailures: 1, windowSeconds: ttlSeconds, baseLockSeconds: ttlSeconds, maxLockSeconds: ttlSeconds };
  let sweptAt = 0;
  return {
    ttlSeconds,
    /** Seals the challenge the options carry; the ticket goes back to this browser only. */
    issue(purpose: CeremonyPurpose, binding: string, challenge: string, userId: string | null): string {
      const state: ChallengeState = { purpose, binding, challenge, userId, expiresAt: now() + ttlSeconds * 1000 };
      return box.seal(JSON.stringify(state));
    },

    /**
     * The ticket's state when it was issued for this purpose and binding, has
     * not expired and has not been spent before; spends it. Null otherwise.
     */
    async spend(ticket: string | undefined, purpose: CeremonyPurpose, binding: string): Promise<ChallengeState | null> {
      if (!ticket || ticket.length > 2048) return null;
      const state = parse(box, ticket);
      if (!state || state.purpose !== purpose || state.binding !== binding || state.expiresAt <= now()) return null;
      if (now() - sweptAt > SWEEP_EVERY_MS) {
        sweptAt = now();
        await throttle.sweep(PREFIX, new Date(now()));
      }
      const key = `${PREFIX}${createHash('sha256').update(state.challenge).digest('base64url')}`;
      return (await throttle.attempt(key, rule)).admitted ? state : null;
    },
  };
}
