// Branding settings (src/config.ts, src/branding/branding.ts): validated at
// start-up, an accent stylesheet with readable button text, the logo's
// source and the CSP origin it needs.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { accentCss, createBranding } from '../../../src/branding/branding.js';
import { contentSecurityPolicy } from '../../../src/http/security-headers.js';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env });

describe('branding', () => {
  it('defaults to Gatehouse with its own logo and no links', () => {
    const b = createBranding(config());
    expect(b.brand).toEqual({ name: 'Gatehouse', logoUrl: '/static/img/logo.svg', supportUrl: null, privacyUrl: null, termsUrl: null, themeCss: null });
    expect(b.imageOrigin).toBeNull();
    expect(b.css).not.toMatch(/--accent/);
  });

  it('refuses a colour that is not #rrggbb, a logo that is neither https nor a theme path, and non-web links', () => {
    expect(() => config({ BRAND_PRIMARY_COLOR: 'red' })).toThrow(/BRAND_PRIMARY_COLOR/);
    expect(() => config({ BRAND_PRIMARY_COLOR: '#12345' })).toThrow(/BRAND_PRIMARY_COLOR/);
    expect(() => config({ BRAND_LOGO_URL: 'http://cdn.example/logo.svg' })).toThrow(/BRAND_LOGO_URL/);
    expect(() => config({ BRAND_LOGO_URL: '../etc/passwd' })).toThrow(/BRAND_LOGO_URL/);
    expect(() => config({ BRAND_LOGO_URL: 'https://cdn.example/a"b' })).toThrow(/BRAND_LOGO_URL/);
    expect(() => config({ SUPPORT_URL: 'javascript:alert(1)' })).toThrow(/SUPPORT_URL/);
  });

  it('serves the logo from the theme folder or an https origin, which the CSP then allows', () => {
    expect(createBranding(config({ BRAND_LOGO_URL: 'img/logo.png' })).brand.logoUrl).toBe('/theme/img/logo.png');
    const external = createBranding(config({ BRAND_LOGO_URL: 'https://cdn.example/brand/logo.svg' }));
    expect(external.brand.logoUrl).toBe('https://cdn.example/brand/logo.svg');
    expect(external.imageOrigin).toBe('https://cdn.example');
    expect(contentSecurityPolicy(external.imageOrigin)).toContain("img-src 'self' data: https://cdn.example;");
    expect(contentSecurityPolicy()).toContain("img-src 'self' data:;");
  });

  it('sets the accent variables, with black or white button text by contrast', () => {
    expect(accentCss('#0B6E4F')).toMatch(/--accent: #0b6e4f; --accent-hover: #095a41; --focus: #0b6e4f; --on-accent: #ffffff;/);
    expect(accentCss('#ffd700')).toMatch(/--on-accent: #000000;/);
  });
});
