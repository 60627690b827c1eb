// The account pages' session (self-client/sealed-session.ts), path /account,
// sealed under a purpose of its own. Viewing needs a sign-in of the last 12
// hours (like the console); changing a factor needs a recent one (the
// deployment's ACCOUNT_REAUTH_SECONDS, 10 minutes by default), because a
// browser left signed in must not be enough to remove someone's second factor.
import type { SecretBox } from '../crypto/secret-box.js';
import { createSealedSessions, nowSeconds, type SealedSession, type SealedSessions } from '../self-client/sealed-session.js';
import { safePathUnder } from '../self-client/code-flow.js';

export const ACCOUNT_SESSION_TTL = 3600;
/** OIDC max_age for viewing the account pages. */
export const ACCOUNT_MAX_AGE = 12 * 3600;

export type AccountSession = SealedSession;
export type AccountSessions = SealedSessions;

export const createAccountSessions = (box: SecretBox): AccountSessions =>
  createSealedSessions(box, { path: '/account', sessionCookie: 'gatehouse.account', loginCookie: 'gatehouse.account.login', ttl: ACCOUNT_SESSION_TTL });

/** Whether the session's sign-in is recent enough for a change. */
export const signedInRecently = (session: Pick<AccountSession, 'authTime'>, reauthSeconds: number, now = nowSeconds()) =>
  now - session.authTime <= reauthSeconds;

/** Only account paths: never an open redirect. */
export const safeAccountPath = (value: unknown) => safePathUnder('/account', value);
