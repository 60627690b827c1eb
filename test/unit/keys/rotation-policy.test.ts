// Pure rules of src/keys/rotation-policy.ts: when keys rotate, activate and go.
import { describe, expect, it } from 'vitest';
import { dueForActivation, dueForRemoval, dueForRotation, type KeyRow, type RotationPolicy } from '../../../src/keys/rotation-policy.js';

const policy: RotationPolicy = { intervalSeconds: 3600, publishAheadSeconds: 600, retireSeconds: 7200 };
const key = (over: Partial<KeyRow>): KeyRow => ({ kid: 'k', alg: 'ES256', status: 'active', activatesAt: new Date(0), retiredAt: null, ...over });

describe('rotation policy', () => {
  it('rotates an active key once the interval has passed, never with interval 0', () => {
    expect(dueForRotation(policy, key({}), 3_599_999)).toBe(false);
    expect(dueForRotation(policy, key({}), 3_600_000)).toBe(true);
    expect(dueForRotation({ ...policy, intervalSeconds: 0 }, key({}), 1e12)).toBe(false);
  });

  it('activates a next key at its activation time', () => {
    expect(dueForActivation(key({ status: 'next', activatesAt: new Date(5000) }), 4999)).toBe(false);
    expect(dueForActivation(key({ status: 'next', activatesAt: new Date(5000) }), 5000)).toBe(true);
  });

  it('removes a retired key only after the retire period, and never one without a retirement time', () => {
    const retired = key({ status: 'retired', retiredAt: new Date(1000) });
    expect(dueForRemoval(policy, retired, 1000 + 7_199_999)).toBe(false);
    expect(dueForRemoval(policy, retired, 1000 + 7_200_000)).toBe(true);
    expect(dueForRemoval(policy, key({ status: 'retired' }), 1e12)).toBe(false);
  });
});
