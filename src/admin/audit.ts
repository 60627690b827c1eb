// Audit trail for the admin surface: every successful change (non-GET) made
// through the REST API or the console is recorded as a security event naming
// who did it and which route, never the request body (it may hold secrets).
import type { Context, Middleware } from 'koa';
import type { SecurityEvents } from '../security/security-events.js';
import type { Logger } from '../http/logger.js';

export interface Actor {
  subject: string;
  clientId?: string | undefined;
}

export function auditChanges(type: string, events: SecurityEvents, log: Logger, actor: (ctx: Context) => Actor | undefined): Middleware {
  return async (ctx, next) => {
    await next();
    const who = actor(ctx);
    if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.status >= 400 || !who) return;
    const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? ctx.path;
    await events
      .record({ type, outcome: 'success', subject: who.subject, clientId: who.clientId ?? null, ip: ctx.ip, details: { action: `${ctx.method} ${route}`, params: { ...ctx.params } } })
      .catch((err: Error) => log.error('could not record admin audit event', { type, err: err.message }));
  };
}
