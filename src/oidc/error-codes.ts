// Error-code corrections on oidc-provider responses:
// - a grant type the client is not registered for is invalid_request there;
//   RFC 6749 §5.2 names that case unauthorized_client (also at the device
//   authorization endpoint, whose errors follow §5.2: RFC 8628 §3.2);
// - a server_error while the database is unreachable becomes 503
//   temporarily_unavailable with Retry-After (RFC 6749 §4.1.2.1 defines the
//   code), so clients back off instead of treating it as a bug.
import type Provider from 'oidc-provider';
import type { RawSql } from '../db/raw-sql.js';
import { databaseProbe, RETRY_AFTER_SECONDS } from '../http/availability.js';
import { isGrantTypeNotAllowed } from './provider-seam.js';

export function useRfcErrorCodes(provider: Provider, sql: RawSql): void {
  const databaseDown = databaseProbe(sql);
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.status === 400 && body?.error === 'invalid_request' && isGrantTypeNotAllowed(body.error_description)) {
      body.error = 'unauthorized_client';
    }
    if (ctx.status === 500 && body?.error === 'server_error' && (await databaseDown())) {
      ctx.status = 503;
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      ctx.body = { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable; retry later' };
    }
  });
}
