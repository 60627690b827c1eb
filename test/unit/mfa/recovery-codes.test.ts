// Recovery code format (src/mfa/recovery-codes.ts): readable, 50 random bits,
// and what people type back (case, dashes, spaces) normalises to the same.
import { describe, expect, it } from 'vitest';
import { newRecoveryCode } from '../../../src/mfa/recovery-codes.js';
import { normaliseRecoveryCode } from '../../../src/mfa/recovery-code-store.js';

describe('recovery codes', () => {
  it('are xxxxx-xxxxx in lowercase base32: 10 characters of 5 bits', () => {
    const codes = Array.from({ length: 2000 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet turns up (no bias towards a subset).
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('normalise what people type', () => {
    const c = newRecoveryCode();
    expect(normaliseRecoveryCode(` ${c.toUpperCase().replace('-', ' ')} `)).toBe(c.replace('-', ''));
  });
});
