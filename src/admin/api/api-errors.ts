// JSON errors for the admin API: AdminError as { error, error_description,
// fields? } with its status; body-parser failures as invalid_request. Every
// response is no-store: some carry secrets shown once (cf. RFC 6749 §5.1).
import type { Middleware } from 'koa';
import { AdminError } from '../../errors/service-error.js';
import { AuthError } from './bearer-auth.js';

export function apiErrors(): Middleware {
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } catch (err) {
      if (err instanceof AdminError) {
        ctx.status = err.status;
        ctx.body = err.toJSON();
        if (err instanceof AuthError) ctx.set('WWW-Authenticate', err.challenge);
        return;
      }
      const e = err as { status?: number; message?: string };
      if (e.status && e.status >= 400 && e.status < 500) {
        ctx.status = e.status;
        ctx.body = { error: 'invalid_request', error_description: e.message ?? 'bad request' };
        return;
      }
      throw err;
    }
  };
}
