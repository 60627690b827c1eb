// Pure rule of src/security/throttle-policy.ts: exponential lockout with a cap.
import { describe, expect, it } from 'vitest';
import { lockSeconds, type ThrottleRule } from '../../../src/security/throttle-policy.js';

const rule: ThrottleRule = { maxFailures: 5, windowSeconds: 900, baseLockSeconds: 60, maxLockSeconds: 900 };

describe('throttle policy', () => {
  it('does not lock below the limit', () => {
    for (let failures = 0; failures < 5; failures++) expect(lockSeconds(rule, failures)).toBe(0);
  });

  it('doubles the lock for each failure past the limit, up to the cap', () => {
    expect([5, 6, 7, 8, 9, 10, 50].map((f) => lockSeconds(rule, f))).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });
});
