// /static/brand.css (the accent colour, generated: the CSP forbids inline
// styles) and /theme/* (THEME_DIR's css/, img/... files; never its views/,
// which are templates, not assets). See docs/branding.md.
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import type { Branding } from './branding.js';

export function brandAssets(branding: Branding): Middleware {
  const theme = branding.themeDir ? mount('/theme', serve(branding.themeDir, { maxage: 3600_000, gzip: false, brotli: false, hidden: false })) : null;
  return async (ctx, next) => {
    if (ctx.path === '/static/brand.css' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.type = 'text/css';
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = branding.css;
      return;
    }
    if (theme && (ctx.path === '/theme' || ctx.path.startsWith('/theme/'))) {
      if (/^\/theme\/views(\/|$)/.test(ctx.path)) return next();
      return theme(ctx, next);
    }
    return next();
  };
}
