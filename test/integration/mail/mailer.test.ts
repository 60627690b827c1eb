// src/mail/mailer.ts against a real SMTP server started here (smtp-server),
// and the development outbox.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createMailer } from '../../../src/mail/mailer.js';
import { createLogger } from '../../../src/http/logger.js';

describe('mailer', () => {
  const received: string[] = [];
  let smtp: SMTPServer;
  let port = 0;
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-outbox-'));
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          received.push(data);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers over SMTP with the configured sender', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Gatehouse <no-reply@example.com>', outboxDir: dir, log: createLogger('silent') });
    await mailer.send({ to: 'ada@example.com', subject: 'Verify your email', text: 'Open https://id.example/verify?t=abc' });
    mailer.close();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^From: Gatehouse <no-reply@example\.com>/m);
    expect(received[0]).toMatch(/^To: ada@example\.com/m);
    expect(received[0]).toContain('https://id.example/verify?t=abc');
  });

  it('rejects when the SMTP server is unreachable', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'a@example.com', outboxDir: dir, log: createLogger('silent') });
    await expect(mailer.send({ to: 'ada@example.com', subject: 's', text: 't' })).rejects.toThrow();
    mailer.close();
  });

  it('writes to the outbox without SMTP', async () => {
    const mailer = createMailer({ smtpUrl: undefined, from: 'a@example.com', outboxDir: join(dir, 'outbox'), log: createLogger('silent') });
    expect(mailer.kind).toBe('outbox');
    await mailer.send({ to: 'bob@example.com', subject: 'Reset your password', text: 'link' });
    const files = await readdir(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(await readFile(join(dir, 'outbox', files[0]!), 'utf8')).toMatch(/^Subject: Reset your password/m);
  });
});
