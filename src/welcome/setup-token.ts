// The first-run setup token (issue 16, "First run"): start-up logs
// `<issuer>/setup?token=...` while no admin exists, and that URL creates the
// first admin in the browser. The token is a sealed ticket (AES-GCM under its
// own purpose, crypto/secret-box.ts, keyed by the master secret), so every
// instance can open what any instance issued and nobody can forge one; it
// carries a random id and its expiry. Nothing is stored when it is issued.
// "Used once" is a row in the shared throttles table, as for passkey
// challenges (mfa/passkey-challenge.ts): the first spend is admitted and locks
// the id's (hashed) key for the token's lifetime, so a second spend on any
// instance is refused.
import { createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import type { ThrottleStore } from '../security/throttle-store.js';

export interface SetupTokenDeps {
  box: SecretBox;
  throttle: ThrottleStore;
  ttlSeconds?: number;
  now?: () => number;
}

export type SetupTokens = ReturnType<typeof createSetupTokens>;

const PREFIX = 'setup:token:';

interface SetupState { id: string; expiresAt: number }

export function createSetupTokens({ box, throttle, ttlSeconds = 3600, now = Date.now }: SetupTokenDeps) {
  const rule = { maxFailures: 1, windowSeconds: ttlSeconds, baseLockSeconds: ttlSeconds, maxLockSeconds: ttlSeconds };
  const key = (id: string) => `${PREFIX}${createHash('sha256').update(id).digest('base64url')}`;
  function open(token: unknown): SetupState | null {
    if (typeof token !== 'string' || !token || token.length > 512) return null;
    try {
      const s = JSON.parse(box.open(token)) as Partial<SetupState>;
      if (typeof s.id !== 'string' || typeof s.expiresAt !== 'number' || s.expiresAt <= now()) return null;
      return s as SetupState;
    } catch {
      return null;
    }
  }
  return {
    ttlSeconds,
    issue(): string {
      return box.seal(JSON.stringify({ id: randomBytes(16).toString('base64url'), expiresAt: now() + ttlSeconds * 1000 }));
    },
    /** True when the token is genuine, unexpired and not yet spent (does not spend it). */
    async valid(token: unknown): Promise<boolean> {
      const s = open(token);
      return Boolean(s) && (await throttle.lockedFor(key(s!.id))) === 0;
    },
    /** Spends the token: true for the first spend of a genuine, unexpired token, on any instance. */
    async spend(token: unknown): Promise<boolean> {
      const s = open(token);
      if (!s) return false;
      await throttle.sweep(PREFIX, new Date(now()));
      return (await throttle.attempt(key(s.id), rule)).admitted;
    },
  };
}
