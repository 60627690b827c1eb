// Discovery and JWKS never change for the life of an app instance (a key
// change builds a new app, see main.ts), so serve them as pre-serialised
// bytes: the first response is captured from oidc-provider, later ones skip
// it entirely.
import type { Middleware } from 'koa';
import { jsonBodyOf } from '../oidc/provider-seam.js';

const CACHED = new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks']);
const KEPT_HEADERS = ['content-type', 'cache-control'];

export function metadataCache(): Middleware {
  const cache = new Map<string, { body: Buffer; headers: [string, string][] }>();
  return async (ctx, next) => {
    // Cross-origin (browser) requests go through oidc-provider for its CORS headers.
    if (ctx.method !== 'GET' || !CACHED.has(ctx.path) || ctx.querystring || ctx.get('origin')) return next();
    const hit = cache.get(ctx.path);
    if (hit) {
      for (const [k, v] of hit.headers) ctx.set(k, v);
      ctx.body = hit.body;
      return;
    }
    await next();
    const json = jsonBodyOf(ctx);
    if (ctx.status !== 200 || !json) return;
    const body = Buffer.from(JSON.stringify(json));
    const headers = KEPT_HEADERS.flatMap((k): [string, string][] => (ctx.response.get(k) ? [[k, String(ctx.response.get(k))]] : []));
    cache.set(ctx.path, { body, headers });
    ctx.body = body;
  };
}
