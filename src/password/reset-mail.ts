// The two messages of the reset flow, rendered from views/email/ in the
// language of the page the request came from: the link, and the notice that
// the password was changed (so the owner learns of a reset they did not ask
// for). The text part is the mail; the HTML part is the same words.
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import type { Mailer } from '../mail/mailer.js';
import { RESET_LINK_SECONDS } from './reset-policy.js';

export interface ResetMail {
  link(to: string, link: string, lang: string): Promise<void>;
  changed(to: string, lang: string, forgotUrl: string): Promise<void>;
}

export function createResetMail(deps: { render: Render; i18n: I18n; mailer: Mailer }): ResetMail {
  const { render, i18n, mailer } = deps;
  async function send(to: string, lang: string, view: string, subjectKey: string, locals: Record<string, unknown>) {
    const all = { ...locals, lang, subject: i18n.t(lang)(subjectKey) };
    const [html, text] = await Promise.all([render(`email/${view}`, all), render(`email/${view}.txt`, all)]);
    await mailer.send({ to, subject: String(all.subject), text, html });
  }
  return {
    link: (to, link, lang) => send(to, lang, 'reset-password', 'reset.mail.subject', { link, minutes: RESET_LINK_SECONDS / 60 }),
    changed: (to, lang, forgotUrl) => send(to, lang, 'password-changed', 'reset.changed-mail.subject', { forgotUrl }),
  };
}
