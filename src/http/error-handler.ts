// Last line of defence for routes outside oidc-provider (which formats its own
// errors per RFC 6749 §5.2): never a stack trace, never a bare 500 page.
import type { Middleware } from 'koa';
import type { Render } from './views.js';
import type { Logger } from './logger.js';

export function errorHandler(render: Render, log: Logger): Middleware {
  return async (ctx, next) => {
    const requestId = String(ctx.state.requestId ?? '');
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.throw(404, 'The page you asked for does not exist.');
      }
    } catch (err) {
      // oidc-provider errors carry error/error_description (RFC 6749 §5.2).
      const e = err as { status?: number; expose?: boolean; message?: string; error?: string; error_description?: string };
      const status = e.status && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (status >= 500) log.error('unhandled error', { requestId, path: ctx.path, err: String(e.message) });
      const description = status < 500 && e.expose !== false ? String(e.error_description ?? e.message) : 'An unexpected error occurred.';
      const error = e.error ?? (status >= 500 ? 'server_error' : 'invalid_request');
      ctx.status = status;
      if (ctx.accepts('html', 'json') === 'json' || ctx.path.startsWith('/admin/api')) {
        ctx.body = { error, error_description: description };
      } else {
        ctx.type = 'html';
        ctx.body = await render('error', { title: 'Error', error, errorDescription: description, requestId }).catch(
          () => `Error: ${error}. Reference: ${requestId}`,
        );
      }
    }
  };
}
