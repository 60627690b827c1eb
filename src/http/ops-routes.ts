// Operability endpoints: liveness, readiness (database reachable) and
// Prometheus metrics (bearer METRICS_TOKEN when set; open only outside
// production when not).
import { timingSafeEqual, createHash } from 'node:crypto';
import Router from '@koa/router';
import type { RawSql } from '../db/raw-sql.js';
import type { Metrics } from './metrics.js';

export interface OpsDeps {
  sql: RawSql;
  metrics: Metrics;
  metricsToken?: string | undefined;
  production: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function buildOpsRoutes({ sql, metrics, metricsToken, production }: OpsDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
    try {
      await Promise.race([sql.query('SELECT 1'), timeout]);
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: 'database unreachable' };
    }
  });
  router.get('/metrics', async (ctx) => {
    if (metricsToken) {
      const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
      if (!timingSafeEqual(digest(given), digest(metricsToken))) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = { error: 'invalid_token' };
        return;
      }
    } else if (production) {
      ctx.status = 404;
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
