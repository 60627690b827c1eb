// RFC 6238 step logic (src/mfa/totp.ts): codes are accepted one step either
// side of now (§5.2) and no further, and the match says which step T it was,
// so the factor store can refuse any code of that step or an earlier one.
import { describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { cleanCode, matchStep, newTotpSecret, TOTP_PERIOD } from '../../../src/mfa/totp.js';

// RFC 6238 Appendix B: the SHA-1 test key "12345678901234567890".
const RFC_SECRET = OTPAuth.Secret.fromLatin1('12345678901234567890').base32;
const codeAt = (secret: string, seconds: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: TOTP_PERIOD }).generate({ timestamp: seconds * 1000 });

describe('TOTP steps', () => {
  it('matches the RFC 6238 test vector (T = 59 s: 94287082, 6-digit 287082) at step 1', () => {
    expect(codeAt(RFC_SECRET, 59)).toBe('287082');
    expect(matchStep(RFC_SECRET, '287082', 59_000)).toBe(1);
  });

  it('accepts the previous and the next step, naming the step of the code', () => {
    const now = 1_000_000 * TOTP_PERIOD + 10; // in step 1,000,000
    expect(matchStep(RFC_SECRET, codeAt(RFC_SECRET, now), now * 1000)).toBe(1_000_000);
    expect(matchStep(RFC_SECRET, codeAt(RFC_SECRET, now - TOTP_PERIOD), now * 1000)).toBe(999_999);
    expect(matchStep(RFC_SECRET, codeAt(RFC_SECRET, now + TOTP_PERIOD), now * 1000)).toBe(1_000_001);
  });

  it('refuses codes two steps away, other keys and malformed input', () => {
    const now = 2_000_000 * TOTP_PERIOD;
    expect(matchStep(RFC_SECRET, codeAt(RFC_SECRET, now - 2 * TOTP_PERIOD), now * 1000)).toBeNull();
    expect(matchStep(RFC_SECRET, codeAt(RFC_SECRET, now + 2 * TOTP_PERIOD), now * 1000)).toBeNull();
    expect(matchStep(newTotpSecret(), codeAt(RFC_SECRET, now), now * 1000)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', '１２３４５６']) expect(matchStep(RFC_SECRET, bad, now * 1000)).toBeNull();
  });

  it('ignores spaces people type ("123 456")', () => {
    const now = 3_000_000 * TOTP_PERIOD;
    const code = codeAt(RFC_SECRET, now);
    expect(cleanCode(`${code.slice(0, 3)} ${code.slice(3)}`)).toBe(code);
    expect(matchStep(RFC_SECRET, ` ${code.slice(0, 3)} ${code.slice(3)} `, now * 1000)).toBe(3_000_000);
  });

  it('makes new 160-bit secrets in base32', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(OTPAuth.Secret.fromBase32(s).bytes.length).toBe(20);
    expect(newTotpSecret()).not.toBe(s);
  });
});
