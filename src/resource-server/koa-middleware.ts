// Koa middleware: authenticate the request's access token (Authorization:
// Bearer or DPoP) with a verifier and put the result on ctx.state.auth;
// otherwise answer per RFC 6750 §3 (401/403 with WWW-Authenticate).
import type { Middleware } from 'koa';
import { BearerError } from './errors.js';
import type { VerifyAccessToken } from './verify-access-token.js';

export interface RequireTokenOptions {
  scopes?: string[];
  realm?: string;
  /** Believe X-SSL-Client-Cert from a TLS-terminating proxy (docs/mtls.md). */
  trustProxy?: boolean;
}

export function requireAccessToken(verify: VerifyAccessToken, opts: RequireTokenOptions = {}): Middleware {
  const realm = opts.realm ?? 'api';
  return async (ctx, next) => {
    try {
      const m = /^(Bearer|DPoP) ([\w.~+/=-]+)$/i.exec(ctx.get('authorization'));
      if (!m) throw new BearerError(ctx.get('authorization') ? 'invalid_request' : null, 'missing or malformed Authorization header');
      const scheme = m[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
      const cert = opts.trustProxy && ctx.get('x-ssl-client-cert') ? decodeURIComponent(ctx.get('x-ssl-client-cert')) : undefined;
      ctx.state.auth = await verify(m[2]!, opts.scopes ?? [], {
        method: ctx.method, url: `${ctx.protocol}://${ctx.host}${ctx.path}`, dpop: ctx.get('dpop') || undefined, clientCertificate: cert,
      }, scheme);
    } catch (err) {
      if (!(err instanceof BearerError)) throw err;
      ctx.status = err.status;
      ctx.set('WWW-Authenticate', err.challenge(realm));
      ctx.set('Cache-Control', 'no-store');
      // RFC 6750 §3.1: no error code when the request carried no credentials.
      ctx.body = err.code ? { error: err.code, error_description: err.description } : { error_description: err.description };
      return;
    }
    await next();
  };
}
