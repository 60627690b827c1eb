// Signing-key rotation (RFC 7517 §5 key sets; OpenID Connect Core §10.1.1:
// "the signer can begin using a new key at its discretion and signals the
// change to the verifier using the kid value"). Verifiers cache JWKS, so:
//   1. a new key is published as `next` `publishAheadSeconds` before it signs,
//      letting caches pick it up before tokens with its kid appear;
//   2. when it becomes `active`, the previous key is `retired`: still
//      published so tokens it signed keep verifying;
//   3. a retired key is deleted `retireSeconds` later, which must exceed the
//      longest token lifetime (id_token, JWT access token).
// Trade-off: shorter intervals limit the damage of an undetected key leak but
// make more verifiers refetch JWKS; 90 days is a common default.
export interface RotationPolicy {
  /** Rotate an active key after this many seconds (0 = only on demand). */
  intervalSeconds: number;
  publishAheadSeconds: number;
  retireSeconds: number;
}

export type KeyStatus = 'next' | 'active' | 'retired';

export interface KeyRow {
  kid: string;
  alg: string;
  status: string;
  activatesAt: Date;
  retiredAt: Date | null;
}

export const dueForRotation = (p: RotationPolicy, active: KeyRow, now: number) =>
  p.intervalSeconds > 0 && active.activatesAt.getTime() + p.intervalSeconds * 1000 <= now;

export const dueForActivation = (next: KeyRow, now: number) => next.activatesAt.getTime() <= now;

export const dueForRemoval = (p: RotationPolicy, retired: KeyRow, now: number) =>
  retired.retiredAt !== null && retired.retiredAt.getTime() + p.retireSeconds * 1000 <= now;
