// The two messages of the reset flow (views/email/reset-password.ejs and
// password-changed.ejs over the shared layout, src/mail/messages.ts), in
// the language of the page the request came from: the link, and the notice
// that the password was changed (so the owner learns of a reset they did
// not ask for).
import type { Messages } from '../mail/messages.js';
import { RESET_LINK_SECONDS } from './reset-policy.js';

export interface ResetMail {
  link(to: string, link: string, lang: string): Promise<void>;
  changed(to: string, lang: string, forgotUrl: string): Promise<void>;
}

export function createResetMail(messages: Messages): ResetMail {
  return {
    link: (to, link, lang) => messages.send('reset-password', to, lang, { link, minutes: RESET_LINK_SECONDS / 60 }),
    changed: (to, lang, forgotUrl) => messages.send('password-changed', to, lang, { forgotUrl }),
  };
}
