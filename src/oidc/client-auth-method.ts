// A client authenticates only with the method it registered
// (token_endpoint_auth_method, RFC 7591 §2; OpenID Connect Core §9): a
// client_secret_post client may not send its secret in an Authorization:
// Basic header (RFC 6749 §2.3.1), nor a client_secret_basic client in the
// body. oidc-provider (9.13) checks the registered method against the
// mechanism the request used, but treats these two as one (pinned by
// test/integration/oidc/client-auth-method.test.ts). The secret comparison is
// the one step that runs for exactly these two methods, after the client is
// known, so the check sits there; a mismatch is the same 401 invalid_client
// as a wrong secret.
import Provider, { errors } from 'oidc-provider';

type Compare = (this: { clientAuthMethod: string }, secret: string) => Promise<boolean> | boolean;

/** The method the current request used: the body's client_secret, else the Basic header. */
function usedMethod(): 'client_secret_post' | 'client_secret_basic' | undefined {
  const ctx = Provider.ctx;
  if (!ctx) return undefined;
  if (ctx.oidc?.params?.client_secret) return 'client_secret_post';
  return ctx.get('authorization') ? 'client_secret_basic' : undefined;
}

export function enforceRegisteredSecretMethod(provider: Provider): void {
  const proto = provider.Client.prototype as unknown as { compareClientSecret: Compare };
  const compare = proto.compareClientSecret;
  proto.compareClientSecret = async function compareClientSecret(secret) {
    const used = usedMethod();
    if (used && used !== this.clientAuthMethod) {
      throw new errors.InvalidClientAuth(`the client is registered for ${this.clientAuthMethod}, not ${used}`);
    }
    return compare.call(this, secret);
  };
}
