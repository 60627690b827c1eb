// The reset flow's and the password policy's texts are complete in every
// shipped language (locales/), and a policy problem is translated with its numbers.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createI18n } from '../../../src/i18n/i18n.js';
import { LOCALES_DIR } from '../../../src/app.js';
import { passwordProblemMessage } from '../../../src/users/password-policy.js';

const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
const catalogue = (lang: string) => JSON.parse(readFileSync(`${LOCALES_DIR}/${lang}.json`, 'utf8')) as Record<string, Record<string, unknown>>;

describe('reset and password catalogues', () => {
  it.each(['fr', 'de'])('%s has every key of en under reset and password, with the same placeholders', (lang) => {
    const en = catalogue('en');
    const other = catalogue(lang);
    for (const ns of ['reset', 'password']) {
      expect(keys(other[ns]!).sort()).toEqual(keys(en[ns]!).sort());
      for (const k of keys(en[ns]!)) {
        const get = (c: Record<string, unknown>) => String(k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], c[ns]));
        const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect(vars(get(other)), `${lang} ${ns}.${k}`).toEqual(vars(get(en)));
      }
    }
  });

  it('translates a policy problem with its numbers', () => {
    const i18n = createI18n(LOCALES_DIR);
    expect(passwordProblemMessage(i18n.t('en'), 'too-short', 12)).toBe('The password must be at least 12 characters long.');
    expect(passwordProblemMessage(i18n.t('fr'), 'too-short', 12)).toBe('Le mot de passe doit comporter au moins 12 caractères.');
    expect(passwordProblemMessage(i18n.t('de'), 'too-long', 8)).toBe('Das Passwort darf höchstens 1024 Zeichen lang sein.');
    expect(passwordProblemMessage(i18n.t('de'), 'common', 8)).toMatch(/zu verbreitet/);
  });
});
