// The account page's email (issue 15): the change-email link to the new
// address and the notice to the old one, in the user's language, as text
// and HTML (views/email/account-*.ejs). Message bodies hold a single-use
// link, so nothing here logs them (mail/mailer.ts).
import type { Mailer } from '../mail/mailer.js';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';

export interface AccountMailDeps {
  issuer: string;
  mailer: Mailer;
  render: Render;
  i18n: I18n;
}

export const emailConfirmLink = (issuer: string, token: string) => `${issuer}/account/email/confirm?token=${encodeURIComponent(token)}`;

export function createAccountMail(deps: AccountMailDeps) {
  return {
    async sendConfirmation(to: string, token: string, lang: string): Promise<void> {
      const t = deps.i18n.t(lang);
      const link = emailConfirmLink(deps.issuer, token);
      const text = [t('account.profile.mail.confirm_intro'), '', link, '', t('account.profile.mail.confirm_expiry'), t('account.profile.mail.confirm_ignore')].join('\n');
      await deps.mailer.send({ to, subject: t('account.profile.mail.confirm_subject'), text, html: await deps.render('email/account-email-change', { lang, link }) });
    },
    async sendNotice(to: string, newEmail: string, lang: string): Promise<void> {
      const t = deps.i18n.t(lang);
      const text = [t('account.profile.mail.notice_intro', { email: newEmail }), '', t('account.profile.mail.notice_help')].join('\n');
      await deps.mailer.send({ to, subject: t('account.profile.mail.notice_subject'), text, html: await deps.render('email/account-email-changed', { lang, newEmail }) });
    },
  };
}
