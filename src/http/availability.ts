// Is a 500 really an outage? When the database does not answer, a failed
// request is "temporarily unavailable" (503 + Retry-After, RFC 9110 §15.6.4;
// RFC 6749 §4.1.2.1 names the OAuth error code), so clients back off instead
// of treating it as a bug. Used by error-handler.ts for every route; the probe
// runs only on the error path.
import type { RawSql } from '../db/raw-sql.js';

export const RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_DESCRIPTION = 'The service is temporarily unavailable. Please try again in a few seconds.';

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

// Endpoints whose clients are programs: they get OAuth error JSON, never a page.
const JSON_PATHS = /^\/(?:token(?:\/.*)?|me|request|reg(?:\/.*)?|jwks|\.well-known\/.*|device\/auth|backchannel|admin\/api(?:\/.*)?)$/;

export const wantsJson = (path: string, accepts: string | false) => JSON_PATHS.test(path) || accepts === 'json';
