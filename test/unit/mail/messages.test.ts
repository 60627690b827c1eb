// The email views (views/email/) through the real renderer and catalogues:
// subject, text and HTML in each shipped language, values escaped in HTML
// only, the link intact in both parts; the self-service namespaces complete
// in every catalogue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/i18n/i18n.js';
import { createRenderer } from '../../../src/http/views.js';
import { createMessages } from '../../../src/mail/messages.js';
import { LOCALES_DIR, VIEWS_DIR } from '../../../src/app.js';
import type { Mail } from '../../../src/mail/mailer.js';

const i18n = createI18n(LOCALES_DIR);
const sent: Mail[] = [];
const messages = createMessages({
  render: createRenderer(VIEWS_DIR, false, i18n),
  mailer: { kind: 'smtp', send: async (m) => void sent.push(m), close: () => {} },
});
const LINK = 'https://id.example/email/verify?token=abc.def&continue=uid-1234567890';

describe('email messages', () => {
  it.each([
    ['en', 'Verify your email address for Gatehouse', 'This link works for 24 hours'],
    ['fr', 'Vérifiez votre adresse e-mail pour Gatehouse', 'Ce lien est valable 24 heures'],
    ['de', 'Bestätigen Sie Ihre E-Mail-Adresse für Gatehouse', 'Dieser Link ist 24 Stunden gültig'],
  ])('renders the verification mail in %s', async (lang, subject, expiry) => {
    const m = await messages.render('verify-email', lang, { link: LINK, hours: 24, name: 'Zoé <script>' });
    expect(m.subject).toBe(subject);
    expect(m.text).toContain(expiry);
    expect(m.text).toContain(`\n${LINK}\n`);
    expect(m.text).toContain('Zoé <script>');
    expect(m.html).toContain(`<html lang="${lang}">`);
    expect(m.html).toContain(`href="${LINK.replace('&', '&amp;')}"`);
    expect(m.html).toContain('Zoé &lt;script&gt;');
    expect(m.html).not.toContain('<script>');
  });

  it('says "1 hour" in the singular and uses the branding name when the page locals have one', async () => {
    const m = await messages.render('verify-email', 'en', { link: LINK, hours: 1, name: null, brandName: 'Acme ID' });
    expect(m.text).toContain('This link works for 1 hour and only once.');
    expect(m.subject).toBe('Verify your email address for Acme ID');
    expect(m.text).toMatch(/^Verify your email address\n\nHello,\n/);
  });

  it('sends the "already registered" notice without any link', async () => {
    await messages.send('registration-exists', 'ada@example.com', 'en', { resetUrl: null });
    const m = sent.at(-1)!;
    expect(m.to).toBe('ada@example.com');
    expect(m.subject).toBe('Someone tried to create a Gatehouse account with your address');
    expect(m.text).not.toMatch(/https?:/);
    expect(m.html).not.toContain('<a ');
  });

  it('has every register, verify and email text in every catalogue', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8')) as Record<string, object>;
    const mine = (lang: string) => keys({ register: load(lang).register, verify: load(lang).verify, email: load(lang).email }).sort();
    expect(mine('en').length).toBeGreaterThan(60);
    expect(mine('fr')).toEqual(mine('en'));
    expect(mine('de')).toEqual(mine('en'));
  });
});
