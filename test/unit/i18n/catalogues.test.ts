// The catalogues stay complete (docs/languages.md): every locales/<lang>.json
// has exactly the keys of en.json (plural forms aside: each language has the
// forms its grammar needs), no empty texts, the same {{placeholders}}; and
// every key the views and the code use exists in en.json.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/i18n/i18n.js';
import { PLAIN_REASONS } from '../../../src/errors/translate.js';

const ROOT = join(import.meta.dirname, '../../..');
const LOCALES = join(ROOT, 'locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.assign({}, ...Object.entries(tree).map(([k, v]) => (typeof v === 'string' ? { [prefix + k]: v } : flatten(v, `${prefix}${k}.`))));
const load = (lang: string) => flatten(JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')) as Tree);
const base = (keys: string[]) => [...new Set(keys.map((k) => k.replace(PLURAL, '')))].sort();
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const files = (dir: string, ext: RegExp): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(f) ? [p] : [];
  });

const en = load('en');
const languages = readdirSync(LOCALES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
/** Does en.json have this key (directly, or as plural forms)? */
const known = (key: string) => key in en || `${key}_one` in en || `${key}_other` in en;

describe('message catalogues', () => {
  it('ships English, French and German', () => {
    expect(languages).toEqual(expect.arrayContaining(['en', 'fr', 'de']));
    expect(createI18n(LOCALES).languages[0]).toBe('en');
  });

  for (const lang of languages.filter((l) => l !== 'en')) {
    it(`${lang}.json has exactly the keys of en.json, with the same placeholders`, () => {
      const other = load(lang);
      expect(base(Object.keys(other))).toEqual(base(Object.keys(en)));
      for (const [key, text] of Object.entries(other)) {
        const source = en[key] ?? en[key.replace(PLURAL, '_other')] ?? en[key.replace(PLURAL, '')];
        expect(placeholders(text), `${lang}: ${key}`).toEqual(placeholders(source ?? ''));
      }
      // Every plural form the language's grammar uses for small numbers is there.
      const rules = new Intl.PluralRules(lang);
      for (const key of base(Object.keys(en).filter((k) => PLURAL.test(k)))) {
        for (const n of [0, 1, 2, 5, 21]) expect(`${key}_${rules.select(n)}` in other, `${lang}: ${key}_${rules.select(n)}`).toBe(true);
      }
    });
  }

  it('has no empty texts', () => {
    for (const lang of languages) {
      for (const [key, text] of Object.entries(load(lang))) expect(text.trim(), `${lang}: ${key}`).not.toBe('');
    }
  });

  it('has every key the views and the code use', () => {
    const used = new Set<string>();
    for (const file of files(join(ROOT, 'views'), /\.ejs$/)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\b(?:t|around)\('([\w.]*\w)'/g)) used.add(m[1]!);
    }
    for (const file of files(join(ROOT, 'src'), /\.ts$/)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\b(?:text|t)\('([\w.]*\w)'/g)) used.add(m[1]!);
      for (const m of source.matchAll(/\bwaitText\('([\w.]+)'/g)) used.add(`${m[1]}Seconds`).add(`${m[1]}Minutes`);
      // Keys handed to a view as plain strings (src/oidc/device-flow.ts, page titles and messages).
      for (const m of source.matchAll(/(?:return|title:|text:|label:) '((?:common|login|consent|device|logout|error|mfa|passkey|account|admin)\.[\w.]*\w)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !known(k))).toEqual([]);
  });

  it('explains every plain-language error reason (src/errors/translate.ts)', () => {
    for (const reason of PLAIN_REASONS) {
      for (const part of ['title', 'what', 'todo']) expect(known(`error.reasons.${reason}.${part}`), `${reason}.${part}`).toBe(true);
    }
  });
});
