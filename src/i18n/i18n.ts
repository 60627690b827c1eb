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

/** brandName: {{brand}} in any text is the product name (BRAND_NAME, docs/branding.md). */
export function createI18n(localesDir: string, brandName = 'Gatehouse'): I18n {
  const files = readdirSync(localesDir).filter((f) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(f));
  const resources = Object.fromEntries(
    files.map((f) => [f.replace(/\.json$/, ''), { translation: JSON.parse(readFileSync(join(localesDir, f), 'utf8')) as object }]),
  );
  const languages = [DEFAULT_LANGUAGE, ...Object.keys(resources).filter((l) => l !== DEFAULT_LANGUAGE).sort()];
  const instance = i18next.createInstance();
  void instance.init({
    resources, supportedLngs: languages, fallbackLng: DEFAULT_LANGUAGE, initAsync: false,
    interpolation: { escapeValue: false, defaultVariables: { brand: brandName } }, returnNull: false,
    // Keys are dotted paths; a ':' is text (resource scopes like api:read), never a namespace.
    nsSeparator: false,
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

/**
 * A text chosen in code and translated in the view (`tx(message)`, see
 * src/http/views.ts): a catalogue key and its interpolation values. Code
 * that cannot know the language (it runs before the page is rendered) hands
 * over one of these instead of a sentence.
 */
export interface Text {
  key: string;
  values?: Record<string, unknown>;
}

export const text = (key: string, values?: Record<string, unknown>): Text => (values ? { key, values } : { key });

/** "Try again in N seconds / minutes" after a lockout (RFC 6585 §4 Retry-After, in words). */
export const waitText = (key: string, seconds: number): Text =>
  seconds < 90 ? text(`${key}Seconds`, { count: seconds }) : text(`${key}Minutes`, { count: Math.ceil(seconds / 60) });
