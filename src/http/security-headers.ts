import type { Middleware } from 'koa';
import { withoutProviderScriptHashes } from '../oidc/provider-seam.js';

// CSP without 'unsafe-inline' (no inline scripts or styles anywhere). No
// form-action: browsers apply it to the redirect chain that ends at the
// client's redirect_uri, which would break the authorization response.
// An external BRAND_LOGO_URL adds its origin, and only it, to img-src
// (src/branding/branding.ts validates it as an https URL).
export const contentSecurityPolicy = (imageOrigin: string | null = null) => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' data:${imageOrigin ? ` ${imageOrigin}` : ''}`,
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const directives = (policy: string) => policy.split(';').map((d) => d.trim()).join('; ');

// Mounted outside error-handler.ts (app.ts), so every response gets these,
// 404s and error pages included; set after next() and also when something
// below throws past the error handler. CSP and frame protection go on every
// response, not only HTML: a response without a type (a bare 404) can still
// be rendered or framed, and the headers cost nothing on JSON.
const set = (ctx: Parameters<Middleware>[0], CSP: string) => {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  // Keep a policy oidc-provider extended with the sha256 of its one inline
  // script (form_post and the device flow's verification_uri_complete
  // auto-submit; see docs/device-flow.md): a hash
  // allows exactly that script, never 'unsafe-inline'.
  const own = directives(withoutProviderScriptHashes(ctx.response.get('Content-Security-Policy'))) === CSP;
  if (!own) ctx.set('Content-Security-Policy', CSP);
  ctx.set('X-Frame-Options', 'DENY');
  if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
};

export function securityHeaders(imageOrigin: string | null = null): Middleware {
  const CSP = contentSecurityPolicy(imageOrigin);
  return async (ctx, next) => {
    // Set before the handlers run so that oidc-provider can add its hash.
    ctx.set('Content-Security-Policy', CSP);
    try {
      await next();
    } finally {
      set(ctx, CSP);
    }
  };
}
