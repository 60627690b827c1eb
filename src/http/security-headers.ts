import type { Middleware } from 'koa';

// CSP without 'unsafe-inline' (no inline scripts or styles anywhere). No
// form-action: browsers apply it to the redirect chain that ends at the
// client's redirect_uri, which would break the authorization response.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const directives = (policy: string) => policy.split(';').map((d) => d.trim()).join('; ');
/** The policy above, with at most script hashes added by oidc-provider. */
const ownPolicy = (policy: string) => directives(policy.replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '')) === CSP;

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    // Set before the handlers run so that oidc-provider can add the sha256 of
    // its one inline script (the auto-submitting form of form_post and of the
    // device flow's verification_uri_complete, lib/helpers/script_src_sha.js):
    // a hash allows exactly that script, never 'unsafe-inline'.
    ctx.set('Content-Security-Policy', CSP);
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    if (ctx.response.is('html')) {
      if (!ownPolicy(ctx.response.get('Content-Security-Policy'))) ctx.set('Content-Security-Policy', CSP);
      ctx.set('X-Frame-Options', 'DENY');
    } else {
      ctx.remove('Content-Security-Policy');
    }
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
