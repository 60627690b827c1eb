// Branding by configuration (docs/branding.md): the name, logo, accent colour
// and footer links every page and email shows, and the theme folder
// (THEME_DIR) whose views and CSS take precedence over the built-in ones.
// Built once from the config; the renderer (src/http/views.ts) passes
// `brand` and `brandName` to every template, so no view reads settings.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';

export interface Brand {
  name: string;
  /** The logo's src: /static/img/logo.svg, /theme/<path> or an https URL. */
  logoUrl: string;
  supportUrl: string | null;
  privacyUrl: string | null;
  termsUrl: string | null;
  /** /theme/css/theme.css when THEME_DIR has one (linked after the built-in CSS). */
  themeCss: string | null;
}

export interface Branding {
  brand: Brand;
  /** Absolute theme folder, or null. */
  themeDir: string | null;
  /** The body of /static/brand.css. */
  css: string;
  /** The origin of an external logo, for the CSP img-src (src/http/security-headers.ts). */
  imageOrigin: string | null;
}

type BrandSettings = Pick<Config, 'BRAND_NAME' | 'BRAND_LOGO_URL' | 'BRAND_PRIMARY_COLOR' | 'SUPPORT_URL' | 'PRIVACY_URL' | 'TERMS_URL' | 'THEME_DIR'>;

export function createBranding(config: BrandSettings): Branding {
  const themeDir = config.THEME_DIR ? resolve(config.THEME_DIR) : null;
  const logo = config.BRAND_LOGO_URL;
  const external = logo?.startsWith('https://') ? logo : null;
  return {
    brand: {
      name: config.BRAND_NAME,
      logoUrl: external ?? (logo ? `/theme/${logo.replace(/^\/+/, '')}` : '/static/img/logo.svg'),
      supportUrl: config.SUPPORT_URL ?? null,
      privacyUrl: config.PRIVACY_URL ?? null,
      termsUrl: config.TERMS_URL ?? null,
      themeCss: themeDir && existsSync(join(themeDir, 'css', 'theme.css')) ? '/theme/css/theme.css' : null,
    },
    themeDir,
    css: config.BRAND_PRIMARY_COLOR ? accentCss(config.BRAND_PRIMARY_COLOR) : '/* no BRAND_PRIMARY_COLOR configured */\n',
    imageOrigin: external ? new URL(external).origin : null,
  };
}

const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2.1 relative luminance (§1.4.3's definition). */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * The accent variables of public/css/gatehouse.css set to the brand colour,
 * with button text in black or white (whichever contrasts more) and a darker
 * hover shade. The same colour is used in dark mode: it is the brand's.
 */
export function accentCss(color: string): string {
  const rgb = channels(color.toLowerCase());
  const onAccent = luminance(rgb) > 0.179 ? '#000000' : '#ffffff';
  const hover = toHex(rgb.map((c) => c * 0.82));
  const vars = `--accent: ${color.toLowerCase()}; --accent-hover: ${hover}; --focus: ${color.toLowerCase()}; --on-accent: ${onAccent};`;
  return `/* Generated from BRAND_PRIMARY_COLOR (src/branding/branding.ts). */\n:root { ${vars} }\n@media (prefers-color-scheme: dark) { :root { ${vars} } }\n`;
}
