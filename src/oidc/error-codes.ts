// Error-code corrections on oidc-provider responses:
// - a grant type the client is not registered for is invalid_request there;
//   RFC 6749 §5.2 names that case unauthorized_client (also at the device
//   authorization endpoint, whose errors follow §5.2: RFC 8628 §3.2).
// A server_error while the database is unreachable is not mapped here: it
// leaves the provider as a 500 and src/http/error-handler.ts turns it into
// 503 temporarily_unavailable, as on every other route.
import type Provider from 'oidc-provider';
import { afterProvider, isGrantTypeNotAllowed, oauthErrorOf, renameError } from './provider-seam.js';

export function useRfcErrorCodes(provider: Provider): void {
  afterProvider(provider, (ctx) => {
    const body = oauthErrorOf(ctx);
    if (ctx.status === 400 && body?.error === 'invalid_request' && isGrantTypeNotAllowed(body.error_description)) {
      renameError(ctx, 'unauthorized_client');
    }
  });
}
