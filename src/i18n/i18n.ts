// Message catalogues: every text people read comes from locales/<lang>.json,
// one file per language (adding a language is adding a file). i18next does
// the lookups, plurals and interpolation; EJS escapes on output (<%= %>), so
// i18next's own escaping is off. Missing keys fall back to English.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';

export type Translate = TFunction;

export interface I18n {
  /** Shipped languages, English first (discovery's ui_locales_supported). */
  languages: string[];
  /** The translator of one language (an unknown one gets English). */
  t(lang: string): Translate;
  /**
   * The first shipped language among the candidates, in order (ui_locales,
   * then Accept-Language), matching "fr-CA" to "fr"; English when none matches.
   */
  pick(candidates: readonly string[]): string;
}

export const DEFAULT_LANGUAGE = 'en';

export function createI18n(localesDir: string): I18n {
  const files = readdirSync(localesDir).filter((f) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(f));
  const resources = Object.fromEntries(
    files.map((f) => [f.replace(/\.json$/, ''), { translation: JSON.parse(readFileSync(join(localesDir, f), 'utf8')) as object }]),
  );
  const languages = [DEFAULT_LANGUAGE, ...Object.keys(resources).filter((l) => l !== DEFAULT_LANGUAGE).sort()];
  const instance = i18next.createInstance();
  void instance.init({
    resources, supportedLngs: languages, fallbackLng: DEFAULT_LANGUAGE, initAsync: false,
    interpolation: { escapeValue: false }, returnNull: false,
  });
  const translators = new Map(languages.map((l) => [l, instance.getFixedT(l)]));
  return {
    languages,
    t: (lang) => translators.get(lang) ?? translators.get(DEFAULT_LANGUAGE)!,
    pick(candidates) {
      for (const raw of candidates) {
        const tag = raw.trim();
        const exact = languages.find((l) => l.toLowerCase() === tag.toLowerCase());
        if (exact) return exact;
        const base = languages.find((l) => l === tag.split('-')[0]?.toLowerCase());
        if (base) return base;
      }
      return DEFAULT_LANGUAGE;
    },
  };
}
