// The HTTP edge of the error model (src/errors/domain-error.ts): whatever a
// route throws is classified once (toDomainError) and answered in the format
// of the surface it came from — problem JSON for the admin API, OAuth error
// JSON (RFC 6749 §5.2) for endpoints whose clients are programs, the error
// page for people. Never a stack trace, never a bare 500 page. oidc-provider
// formats its own errors (src/oidc/error-codes.ts corrects their codes); a
// 500 while the database is down becomes 503 here, on every route, including
// oidc-provider's own server_error answers (src/http/availability.ts).
import type { Context, Middleware } from 'koa';
import type { Render } from './views.js';
import type { Logger } from './logger.js';
import { RETRY_AFTER_SECONDS, unavailable, type DatabaseProbe } from './availability.js';
import type { DomainError } from '../errors/domain-error.js';
import { errorHeaders, oauthBody, pageModel, problemBody, toDomainError } from '../errors/translate.js';

export type Edge = 'admin-api' | 'oauth' | 'page';

// Endpoints whose clients are programs: they get OAuth error JSON, never a page.
const JSON_PATHS = /^\/(?:token(?:\/.*)?|me|request|reg(?:\/.*)?|jwks|\.well-known\/.*|device\/auth|backchannel)$/;
export const isAdminApiPath = (path: string) => /^\/admin\/api(?:\/.*)?$/.test(path);

/** Which edge format a request's errors take. */
export function edgeOf(ctx: Pick<Context, 'path' | 'accepts'>): Edge {
  if (isAdminApiPath(ctx.path)) return 'admin-api';
  return JSON_PATHS.test(ctx.path) || ctx.accepts('html', 'json') === 'json' ? 'oauth' : 'page';
}

export function errorHandler(render: Render, log: Logger, databaseDown: DatabaseProbe = async () => false): Middleware {
  async function respond(ctx: Context, e: DomainError) {
    const requestId = String(ctx.state.requestId ?? '');
    ctx.status = e.status;
    ctx.set(errorHeaders(e, RETRY_AFTER_SECONDS));
    const edge = edgeOf(ctx);
    if (edge === 'admin-api') {
      // Admin API answers are never cached, errors included (cf. RFC 6749 §5.1).
      ctx.set('Cache-Control', 'no-store');
      ctx.body = problemBody(e);
    } else if (edge === 'oauth') ctx.body = oauthBody(e);
    else {
      ctx.type = 'html';
      ctx.body = await render('error', { ...pageModel(e, requestId), lang: ctx.state.lang }).catch(() => `Error: ${e.error}. Reference: ${requestId}`);
    }
  }

  return async (ctx, next) => {
    const requestId = String(ctx.state.requestId ?? '');
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.throw(404, 'The page you asked for does not exist.');
      }
      if (ctx.status === 500 && (await databaseDown())) await respond(ctx, unavailable());
    } catch (err) {
      const e = toDomainError(err);
      if (e.status >= 500 && (await databaseDown())) {
        log.warn('database unavailable', { requestId, path: ctx.path, err: String((err as Error | undefined)?.message) });
        return respond(ctx, unavailable());
      }
      if (e.status >= 500) log.error('unhandled error', { requestId, path: ctx.path, err: String((err as Error | undefined)?.message) });
      await respond(ctx, e);
    }
  };
}
