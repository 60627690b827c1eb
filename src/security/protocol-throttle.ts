// 429 + Retry-After (RFC 6585 §4) on protocol endpoints for an IP that keeps
// failing client authentication or presenting bad grants. Only failures are
// written; the lock check is cached (throttle-store.ts).
import type { Middleware } from 'koa';
import type { ThrottleStore } from './throttle-store.js';
import type { ThrottleRule } from './throttle-policy.js';

const GUARDED = new Set(['/token', '/token/introspection', '/token/revocation', '/me', '/request']);
const ABUSE = new Set(['invalid_client', 'invalid_grant', 'invalid_token']);

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
    const error = (ctx.body as { error?: string } | undefined)?.error;
    if (ctx.status === 401 || (error && ABUSE.has(error))) await throttle.fail(key, rule);
  };
}
