// Refresh-token rotation policy (RFC 9700 §4.14.2, OAuth 2.1 §4.3.1).
//
// Every refresh returns a new refresh token and consumes the presented one in
// the same database statement, so two requests can never both "win" silently.
//
// Trade-off of the grace window: with grace = 0, any second presentation of a
// rotated token, even a concurrent retry from a second tab or a mobile client
// whose response was lost, is treated as theft and revokes the whole family
// (the grant and every token from it): safest, but users get logged out. With
// grace = N seconds, a rotated token may be presented again for N seconds and
// gets a fresh sibling token from the same family; an attacker replaying a
// stolen token inside that window is not detected. After the window, reuse
// always revokes the family. Default: 5 s (config REFRESH_REUSE_GRACE_SECONDS).
//
// Lifetimes: each token lives for the idle (sliding) TTL, but never past the
// family's absolute end (first issue + absolute TTL). Both can be set per
// client with the `refresh_token_idle_ttl` / `refresh_token_absolute_ttl`
// client metadata.
export interface RefreshPolicy {
  graceSeconds: number;
  idleTtl: number;
  absoluteTtl: number;
}

export const CLIENT_IDLE_TTL = 'refresh_token_idle_ttl';
export const CLIENT_ABSOLUTE_TTL = 'refresh_token_absolute_ttl';

type ClientMeta = Record<string, unknown>;

export function clientLifetimes(policy: RefreshPolicy, meta: ClientMeta): { idle: number; absolute: number } {
  const pick = (key: string, fallback: number) => (typeof meta[key] === 'number' ? (meta[key] as number) : fallback);
  return { idle: pick(CLIENT_IDLE_TTL, policy.idleTtl), absolute: pick(CLIENT_ABSOLUTE_TTL, policy.absoluteTtl) };
}

/** Seconds the next refresh token of a family may live. */
export function refreshTokenTtl(policy: RefreshPolicy, meta: ClientMeta, familyStart: number, now: number): number {
  const { idle, absolute } = clientLifetimes(policy, meta);
  return Math.max(1, Math.min(idle, familyStart + absolute - now));
}

/** Whether a token consumed at `consumedAt` may still be presented at `now`. */
export function withinGrace(policy: RefreshPolicy, consumedAt: Date, now: number): boolean {
  return policy.graceSeconds > 0 && now - consumedAt.getTime() < policy.graceSeconds * 1000;
}
