// oidc-provider answers a grant type the client is not registered for with
// invalid_request; RFC 6749 §5.2 names that case unauthorized_client.
import type Provider from 'oidc-provider';

const GRANT_NOT_ALLOWED = 'requested grant type is not allowed for this client';

export function useRfcErrorCodes(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.status === 400 && body?.error === 'invalid_request' && body.error_description === GRANT_NOT_ALLOWED) {
      body.error = 'unauthorized_client';
    }
  });
}
