// 429 + Retry-After (RFC 6585 §4) on protocol endpoints for an IP that keeps
// failing client authentication. Only failed client authentication counts
// (invalid_client, RFC 6749 §5.2): invalid_grant and invalid_token come from
// authenticated clients losing refresh races or holding expired tokens, and
// counting them locked whole NATs out (issue 12). Tokens are unguessable; the
// secret is what a guesser tries. Only failures are written; the lock check
// is cached (throttle-store.ts).
import type { Middleware } from 'koa';
import type { ThrottleStore } from './throttle-store.js';
import type { ThrottleRule } from './throttle-policy.js';
import { oauthErrorOf } from '../oidc/provider-seam.js';

const GUARDED = new Set(['/token', '/token/introspection', '/token/revocation', '/me', '/request']);

export function protocolThrottle(throttle: ThrottleStore, rule: ThrottleRule): Middleware {
  return async (ctx, next) => {
    if (!GUARDED.has(ctx.path)) return next();
    const key = `proto:ip:${ctx.ip}`;
    const locked = await throttle.lockedFor(key);
    if (locked) {
      ctx.status = 429;
      ctx.set('Retry-After', String(locked));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { error: 'temporarily_unavailable', error_description: 'too many failed requests from this address; retry later' };
      return;
    }
    await next();
    const error = oauthErrorOf(ctx)?.error;
    if (error === 'invalid_client') await throttle.fail(key, rule);
  };
}
