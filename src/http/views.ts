// Server-rendered pages (EJS). Templates escape with <%= %>; the only raw
// output is library-generated markup passed explicitly (see views/logout.ejs).
// Every page gets `lang` (for <html lang>) and `t`, the translator of that
// language (src/i18n/i18n.ts); a route passes the language it chose
// (ctx.state.lang, src/http/locale.ts), English otherwise. Every page (and
// email) also gets `brand` and `brandName` (src/branding/branding.ts): the
// one place branding reaches the templates. `tx(message)` translates a
// message chosen in code (a Text: key and values).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ejs from 'ejs';
import { DEFAULT_LANGUAGE, type I18n, type Text } from '../i18n/i18n.js';
import type { Brand } from '../branding/branding.js';

export type Render = (view: string, locals: Record<string, unknown>) => Promise<string>;

export interface RenderOptions {
  brand?: Brand;
  /** THEME_DIR: THEME_DIR/views/<path>.ejs is used instead of views/<path>.ejs (docs/branding.md). */
  themeDir?: string | null;
}

const NAME_MARK = '\u0000name\u0000';
const DEFAULT_BRAND: Brand = { name: 'Gatehouse', logoUrl: '/static/img/logo.svg', supportUrl: null, privacyUrl: null, termsUrl: null, themeCss: null };

/** The theme's copy of a built-in view file, or null. */
export function themeCopy(viewsDir: string, themeDir: string | null | undefined, file: string): string | null {
  if (!themeDir) return null;
  const rel = relative(viewsDir, file);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) return null;
  const candidate = join(themeDir, 'views', rel);
  return existsSync(candidate) ? candidate : null;
}

export function createRenderer(viewsDir: string, cache: boolean, i18n: I18n, options: RenderOptions = {}): Render {
  const brand = options.brand ?? DEFAULT_BRAND;
  const themeDir = options.themeDir ?? null;
  // A theme copy is compiled under its built-in file name, so its includes
  // resolve as the built-in's do (partials/head from views/account/ is
  // views/account/partials/head), and each include again takes the theme's copy.
  const texts = new Map<string, string>();
  const read = (file: string) => {
    const text = (cache && texts.get(file)) || readFileSync(file, 'utf8');
    if (cache) texts.set(file, text);
    return text;
  };
  const includer = (_original: string, resolved: string) => {
    const copy = resolved ? themeCopy(viewsDir, themeDir, resolved) : null;
    return (copy ? { template: read(copy) } : { filename: resolved }) as ejs.IncluderResult;
  };
  return async (view, locals) => {
    const lang = typeof locals.lang === 'string' && i18n.languages.includes(locals.lang) ? locals.lang : DEFAULT_LANGUAGE;
    const file = join(viewsDir, `${view}.ejs`);
    const t = i18n.t(lang);
    // tx: a Text from code (src/i18n/i18n.ts) or a key; a string that is no key prints as it is.
    const tx = (m: unknown) => (m && typeof m === 'object' ? t((m as Text).key, { brand: brand.name, ...(m as Text).values }) : typeof m === 'string' ? t(m, { brand: brand.name }) : '');
    // around: a sentence split at its {{name}}, so the view can wrap the name in markup (escaped as usual).
    const around = (key: string, values: Record<string, unknown> = {}) => t(key, { ...values, name: NAME_MARK }).split(NAME_MARK);
    const data = { brand, brandName: brand.name, ...locals, lang, t, tx, around };
    const opts = { cache, filename: file, root: viewsDir, includer, async: false as const };
    const copy = themeCopy(viewsDir, themeDir, file);
    return copy ? ejs.render(read(copy), data, opts) : ejs.renderFile(file, data, opts);
  };
}
