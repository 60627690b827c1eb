// NIST SP 800-63B §3.1.1.2 rules of src/users/password-policy.ts.
import { describe, expect, it } from 'vitest';
import { createPasswordPolicy, passwordProblemText, PASSWORD_MAX_LENGTH } from '../../../src/users/password-policy.js';

describe('password policy', () => {
  const policy = createPasswordPolicy(10);

  it('refuses short, common, email-like and overlong passwords, and nothing else', () => {
    expect(policy.check('short')).toBe('too-short');
    expect(policy.check('1234567890')).toBe('common');
    expect(policy.check('Password123')).toBe('common');
    expect(policy.check('ada.lovelace', { email: 'Ada.Lovelace@example.com' })).toBe('is-email');
    expect(policy.check('ada.lovelace@example.com', { email: 'ada.lovelace@example.com' })).toBe('is-email');
    expect(policy.check('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toBe('too-long');
    // No composition rules; at least 64 characters always allowed.
    expect(policy.check('correct horse battery staple')).toBeNull();
    expect(policy.check('y'.repeat(64))).toBeNull();
    // Length counts characters, not UTF-16 units.
    expect(policy.check('🐴🐴🐴🐴🐴🐴🐴🐴🐴')).toBe('too-short');
  });

  it('says what is wrong in plain words', () => {
    expect(passwordProblemText('too-short', 10)).toMatch(/at least 10 characters/);
    expect(passwordProblemText('common', 10)).toMatch(/too common/);
  });
});
