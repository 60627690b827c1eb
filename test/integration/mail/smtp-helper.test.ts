// test/helpers/smtp.ts against what src/mail/mailer.ts really sends:
// subject with non-ASCII text, text and HTML parts, links in both.
import { describe, expect, it } from 'vitest';
import { useSmtp } from '../../helpers/smtp.js';
import { createMailer } from '../../../src/mail/mailer.js';
import { createLogger } from '../../../src/http/logger.js';

describe('test SMTP server helper', () => {
  const smtp = useSmtp();

  it('parses subject, text, html and links of a nodemailer message', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Gatehouse <no-reply@example.com>', outboxDir: '/nonexistent', log: createLogger('silent') });
    const link = 'https://id.example/email/verify?token=abc.def-_x&lang=fr';
    await mailer.send({
      to: 'Ada@Example.com', subject: 'Vérifiez votre adresse — Gatehouse',
      text: `Bonjour,\n\nOuvrez ce lien : ${link}\n${'long line '.repeat(20)}`,
      html: `<p>Bonjour, é</p><p><a href="${link.replace(/&/g, '&amp;')}">Vérifier</a></p>`,
    });
    mailer.close();
    const [mail] = await smtp.waitFor('ada@example.com');
    expect(mail!.subject).toBe('Vérifiez votre adresse — Gatehouse');
    expect(mail!.from).toContain('no-reply@example.com');
    expect(mail!.text).toContain('Ouvrez ce lien');
    expect(mail!.html).toContain('<p>Bonjour, é</p>');
    expect(mail!.links).toEqual([link]);
  });

  it('waitFor rejects when nothing arrives in time', async () => {
    await expect(smtp.waitFor('nobody@example.com', 1, 200)).rejects.toThrow(/no 1 message/);
  });
});
