// The console's own session (self-client/sealed-session.ts): valid for an
// hour; after that the browser goes through /auth again (silently while the
// SSO session lasts). Path /admin.
import type { SecretBox } from '../../crypto/secret-box.js';
import { createSealedSessions, type SealedSession, type SealedSessions } from '../../self-client/sealed-session.js';

export type { PendingLogin } from '../../self-client/sealed-session.js';

export const CONSOLE_SESSION_TTL = 3600;
/** OIDC max_age for console sign-in: the password again after 12 hours. */
export const CONSOLE_MAX_AGE = 12 * 3600;

export type ConsoleSession = SealedSession;
export type ConsoleSessions = SealedSessions;

export const createConsoleSessions = (box: SecretBox): ConsoleSessions =>
  createSealedSessions(box, { path: '/admin', sessionCookie: 'gatehouse.admin', loginCookie: 'gatehouse.admin.login', ttl: CONSOLE_SESSION_TTL });
