// Renders an email from its view (views/email/<name>.ejs: one file gives the
// subject, the text part and the HTML part, in the recipient's language,
// through the shared page renderer, so branding locals apply to mail too)
// and sends it through the mailer. Callers handle a rejection (SMTP down):
// the flows answer with a "could not send" page, never a 500.
import type { Render } from '../http/views.js';
import type { Mailer } from './mailer.js';

export type MessageName =
  | 'verify-email' | 'registration-exists' | 'reset-password' | 'password-changed'
  | 'account-email-change' | 'account-email-changed' | 'account-email-in-use';

export interface Messages {
  /** Renders and sends one message; rejects when it cannot be rendered or sent. */
  send(name: MessageName, to: string, lang: string, locals: Record<string, unknown>): Promise<void>;
  /** Renders without sending (tests, previews). */
  render(name: MessageName, lang: string, locals: Record<string, unknown>): Promise<{ subject: string; text: string; html: string }>;
}

export function createMessages(deps: { render: Render; mailer: Mailer }): Messages {
  async function render(name: MessageName, lang: string, locals: Record<string, unknown>) {
    const part = (p: 'subject' | 'text' | 'html') => deps.render(`email/${name}`, { ...locals, lang, part: p });
    const [subject, text, html] = await Promise.all([part('subject'), part('text'), part('html')]);
    // A subject is one line (RFC 5322 §2.1.1 folding is the mailer's job).
    return { subject: subject.replace(/\s+/g, ' ').trim(), text: text.replace(/\n{3,}/g, '\n\n').trim() + '\n', html };
  }
  return {
    render,
    async send(name, to, lang, locals) {
      await deps.mailer.send({ to, ...(await render(name, lang, locals)) });
    },
  };
}
