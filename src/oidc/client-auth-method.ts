// A client authenticates only with the method it registered
// (token_endpoint_auth_method, RFC 7591 §2; OpenID Connect Core §9): a
// client_secret_post client may not send its secret in an Authorization:
// Basic header (RFC 6749 §2.3.1), nor a client_secret_basic client in the
// body. oidc-provider (9.13) checks the registered method against the
// mechanism the request used, but treats these two as one (pinned by
// test/integration/oidc/client-auth-method.test.ts). The secret comparison is
// the one step that runs for exactly these two methods, after the client is
// known, so the check sits there (beforeSecretComparison in provider-seam.ts);
// a mismatch is the same 401 invalid_client as a wrong secret.
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { beforeSecretComparison } from './provider-seam.js';

export function enforceRegisteredSecretMethod(provider: Provider): void {
  beforeSecretComparison(provider, (registered, used) => {
    if (used && used !== registered) {
      throw new errors.InvalidClientAuth(`the client is registered for ${registered}, not ${used}`);
    }
  });
}
