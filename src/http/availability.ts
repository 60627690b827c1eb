// Is a 500 really an outage? When the database does not answer, a failed
// request is "temporarily unavailable" (503 + Retry-After, RFC 9110 §15.6.4;
// RFC 6749 §4.1.2.1 names the OAuth error code), so clients back off instead
// of treating it as a bug. Applied once, by error-handler.ts, to every route
// (oidc-provider's server_error answers included); the probe runs only on the
// error path.
import type { RawSql } from '../db/raw-sql.js';
import { DomainError } from '../errors/domain-error.js';

export const RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_DESCRIPTION = 'The service is temporarily unavailable. Please try again in a few seconds.';

export const unavailable = () => new DomainError(503, 'temporarily_unavailable', UNAVAILABLE_DESCRIPTION);

export type DatabaseProbe = () => Promise<boolean>;

/** Resolves true when the database does not answer SELECT 1 within a second. */
export function databaseProbe(sql: RawSql): DatabaseProbe {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), 1000);
    });
    try {
      await Promise.race([sql.query('SELECT 1'), timeout]);
      return false;
    } catch {
      return true;
    } finally {
      clearTimeout(timer);
    }
  };
}
