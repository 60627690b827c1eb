// Outgoing email through nodemailer: SMTP when SMTP_URL is set; otherwise
// (development only: src/config.ts refuses mail features in production
// without SMTP) each message is written as an .eml file to DATA_DIR/outbox
// and the log says where. Message bodies hold single-use links, so neither
// path logs a body, a subject line's link or a token.
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../http/logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

export interface Mailer {
  kind: 'smtp' | 'outbox';
  /** Sends one message; rejects when the SMTP server cannot be reached or refuses it. */
  send(mail: Mail): Promise<void>;
  close(): void;
}

export interface MailerDeps {
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  log: Logger;
}

export function createMailer({ smtpUrl, from, outboxDir, log }: MailerDeps): Mailer {
  if (smtpUrl) {
    // Short timeouts: a sign-in page waits on this (or a background job does).
    const transport: Transporter = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as object);
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail({ from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let announced = false;
  return {
    kind: 'outbox',
    async send(mail) {
      const info = await stream.sendMail({ from, ...mail });
      await mkdir(outboxDir, { recursive: true });
      const file = join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      if (!announced) log.warn('no SMTP_URL: email is written to the outbox folder (development only)', { outbox: outboxDir });
      announced = true;
      log.info('email written to outbox', { file });
    },
    close: () => stream.close(),
  };
}
