// What a new password must be (NIST SP 800-63B §3.1.1.2): long enough,
// not one of the most common passwords (the bundled list of
// @zxcvbn-ts/language-common, about 49,000 entries), not the account's own
// email address, and never limited below 64 characters (the limit here is
// 1024, as the sign-in form's). No composition rules. Used wherever a
// password is set: registration, reset, change, admin-set.
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Translate } from '../i18n/i18n.js';

export const PASSWORD_MAX_LENGTH = 1024;

/** Why a password is refused; the pages and APIs turn the reason into a message. */
export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'is-email';

export interface PasswordPolicy {
  minLength: number;
  /** Null when acceptable. */
  check(password: string, context?: { email?: string | undefined }): PasswordProblem | null;
}

export function createPasswordPolicy(minLength: number): PasswordPolicy {
  const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return {
    minLength,
    check(password, context = {}) {
      // Length in code points, so a password of emoji is not counted double.
      const length = [...password].length;
      if (length < minLength) return 'too-short';
      if (length > PASSWORD_MAX_LENGTH) return 'too-long';
      const lower = password.toLowerCase();
      if (common.has(lower)) return 'common';
      const email = context.email?.trim().toLowerCase();
      if (email && (lower === email || lower === email.split('@')[0])) return 'is-email';
      return null;
    },
  };
}

/** English text for each problem (the pages use the catalogues: locales/, key password.<problem>). */
export function passwordProblemText(problem: PasswordProblem, minLength: number): string {
  switch (problem) {
    case 'too-short': return `The password must be at least ${minLength} characters long.`;
    case 'too-long': return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
    case 'common': return 'This password is too common and easy to guess. Please choose another.';
    case 'is-email': return 'The password must not be your email address.';
  }
}

/**
 * The problem in the page's language (catalogue keys password.<problem>, with
 * {{min}} and {{max}}): for the forms of registration, reset and change.
 */
export function passwordProblemMessage(t: Translate, problem: PasswordProblem, minLength: number): string {
  return t(`password.${problem}`, { min: minLength, max: PASSWORD_MAX_LENGTH });
}
