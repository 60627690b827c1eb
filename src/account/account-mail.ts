// The account page's email (issue 15): the change-email link to the new
// address and the notice to the old one, in the user's language, through
// the shared email layout (mail/messages.ts, views/email/account-*.ejs).
// Message bodies hold a single-use link, so nothing here logs them.
import type { Messages } from '../mail/messages.js';

export const emailConfirmLink = (issuer: string, token: string) => `${issuer}/account/email/confirm?token=${encodeURIComponent(token)}`;

export function createAccountMail(deps: { issuer: string; messages: Messages }) {
  return {
    sendConfirmation: (to: string, token: string, lang: string) =>
      deps.messages.send('account-email-change', to, lang, { link: emailConfirmLink(deps.issuer, token) }),
    sendNotice: (to: string, newEmail: string, lang: string) => deps.messages.send('account-email-changed', to, lang, { newEmail }),
    sendInUse: (to: string, lang: string) => deps.messages.send('account-email-in-use', to, lang, {}),
  };
}
