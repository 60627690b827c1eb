// Server-rendered pages (EJS). Templates escape with <%= %>; the only raw
// output is library-generated markup passed explicitly (see views/logout.ejs).
// Every page gets `lang` (for <html lang>) and `t`, the translator of that
// language (src/i18n/i18n.ts); a route passes the language it chose
// (ctx.state.lang, src/http/locale.ts), English otherwise.
import { join } from 'node:path';
import ejs from 'ejs';
import { DEFAULT_LANGUAGE, type I18n } from '../i18n/i18n.js';

export type Render = (view: string, locals: Record<string, unknown>) => Promise<string>;

export function createRenderer(viewsDir: string, cache: boolean, i18n: I18n): Render {
  return (view, locals) => {
    const lang = typeof locals.lang === 'string' && i18n.languages.includes(locals.lang) ? locals.lang : DEFAULT_LANGUAGE;
    return ejs.renderFile(join(viewsDir, `${view}.ejs`), { ...locals, lang, t: i18n.t(lang) }, { cache, root: viewsDir, async: false });
  };
}
