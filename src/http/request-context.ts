// Request ids and access logs. The id is taken from X-Request-Id (from a proxy)
// or generated, echoed back, and attached to every log line of the request.
// Only the path is logged: query strings can carry codes and tokens.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from './logger.js';

const SAFE_ID = /^[\w.:-]{1,64}$/;

export function requestContext(log: Logger, onDone?: (ctx: Parameters<Middleware>[0], seconds: number) => void): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      onDone?.(ctx, seconds);
      log.info('request', { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000), ip: ctx.ip });
    }
  };
}
