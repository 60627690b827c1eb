// Last line of defence for routes outside oidc-provider (which formats its own
// errors per RFC 6749 §5.2): never a stack trace, never a bare 500 page. A 500
// while the database is down becomes 503 on every route (availability.ts),
// including oidc-provider's own server_error answers.
import type { Context, Middleware } from 'koa';
import type { Render } from './views.js';
import type { Logger } from './logger.js';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_DESCRIPTION, wantsJson, type DatabaseProbe } from './availability.js';

export function errorHandler(render: Render, log: Logger, databaseDown: DatabaseProbe = async () => false): Middleware {
  async function respond(ctx: Context, status: number, error: string, description: string) {
    const requestId = String(ctx.state.requestId ?? '');
    ctx.status = status;
    if (status === 503) {
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      ctx.set('Cache-Control', 'no-store');
    }
    if (wantsJson(ctx.path, ctx.accepts('html', 'json'))) {
      ctx.body = { error, error_description: description };
    } else {
      ctx.type = 'html';
      ctx.body = await render('error', { title: 'Error', error, errorDescription: description, requestId }).catch(
        () => `Error: ${error}. Reference: ${requestId}`,
      );
    }
  }

  return async (ctx, next) => {
    const requestId = String(ctx.state.requestId ?? '');
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.throw(404, 'The page you asked for does not exist.');
      }
      if (ctx.status === 500 && (await databaseDown())) {
        await respond(ctx, 503, 'temporarily_unavailable', UNAVAILABLE_DESCRIPTION);
      }
    } catch (err) {
      // oidc-provider errors carry error/error_description (RFC 6749 §5.2).
      const e = err as { status?: number; expose?: boolean; message?: string; error?: string; error_description?: string };
      const status = e.status && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (status >= 500 && (await databaseDown())) {
        log.warn('database unavailable', { requestId, path: ctx.path, err: String(e.message) });
        return respond(ctx, 503, 'temporarily_unavailable', UNAVAILABLE_DESCRIPTION);
      }
      if (status >= 500) log.error('unhandled error', { requestId, path: ctx.path, err: String(e.message) });
      const description = status < 500 && e.expose !== false ? String(e.error_description ?? e.message) : 'An unexpected error occurred.';
      const error = e.error ?? (status >= 500 ? 'server_error' : 'invalid_request');
      await respond(ctx, status, error, description);
    }
  };
}
