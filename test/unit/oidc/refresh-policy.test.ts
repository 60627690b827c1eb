// Pure rules of src/oidc/refresh-policy.ts: lifetimes and the reuse grace window.
import { describe, expect, it } from 'vitest';
import { clientLifetimes, refreshTokenTtl, withinGrace, type RefreshPolicy } from '../../../src/oidc/refresh-policy.js';

const policy: RefreshPolicy = { graceSeconds: 5, idleTtl: 3600, absoluteTtl: 86_400 };

describe('refresh policy', () => {
  it('takes per-client lifetimes only when they are numbers', () => {
    expect(clientLifetimes(policy, {})).toEqual({ idle: 3600, absolute: 86_400 });
    expect(clientLifetimes(policy, { refresh_token_idle_ttl: 60, refresh_token_absolute_ttl: 600 })).toEqual({ idle: 60, absolute: 600 });
    expect(clientLifetimes(policy, { refresh_token_idle_ttl: '60' })).toEqual({ idle: 3600, absolute: 86_400 });
  });

  it('gives the idle TTL until the family nears its absolute end, then what is left, never below 1 s', () => {
    const start = 1_000_000;
    expect(refreshTokenTtl(policy, {}, start, start)).toBe(3600);
    expect(refreshTokenTtl(policy, {}, start, start + 86_400 - 100)).toBe(100);
    expect(refreshTokenTtl(policy, {}, start, start + 86_400 + 50)).toBe(1);
    expect(refreshTokenTtl(policy, { refresh_token_idle_ttl: 30 }, start, start)).toBe(30);
  });

  it('accepts a second presentation only inside the grace window, and never with grace 0', () => {
    const consumed = new Date(10_000);
    expect(withinGrace(policy, consumed, 10_000 + 4_999)).toBe(true);
    expect(withinGrace(policy, consumed, 10_000 + 5_000)).toBe(false);
    expect(withinGrace({ ...policy, graceSeconds: 0 }, consumed, 10_000)).toBe(false);
  });
});
