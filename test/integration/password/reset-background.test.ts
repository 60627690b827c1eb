// The forgot-password response does not wait for the lookup or the mail
// (reset-service.ts queues them): against an SMTP server that holds every
// message until the test releases it, the page for a known address arrives
// first, and the mail after. A mail that fails is logged by job name, never
// with the link or the address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { useServer } from '../../helpers/fixture.js';
import { createUser } from '../../helpers/builders.js';
import { PasswordForms, withoutCsrf } from '../../helpers/password-forms.js';
import { createLogger } from '../../../src/http/logger.js';

const order: string[] = [];
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
let smtp: SMTPServer;
let url = '';
const lines: string[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, done) {
      if (address.address.startsWith('refused')) return done(new Error('mailbox unavailable'));
      done();
    },
    onData(stream, session, done) {
      order.push(`data for ${session.envelope.rcptTo[0]?.address}`);
      stream.resume();
      stream.on('end', () => void held.then(() => {
        order.push('mail accepted');
        done();
      }));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  url = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  release();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('password reset: the response does not wait for the mail', () => {
  const server = useServer({
    backend: 'embedded', env: { get SMTP_URL() { return url; } } as Record<string, string>,
    logger: createLogger('info', { write: (l: string) => void lines.push(l) }),
  });

  it('answers a known address before its (stalled) mail is accepted, with the unknown address page', async () => {
    await createUser(server, { email: 'slow@example.com', password: 'old slow password' });
    const b = new PasswordForms(server.issuer);
    const unknown = await b.forgot('ghost@example.com');
    const known = await b.forgot('slow@example.com');
    order.push('response');
    expect(known.status).toBe(200);
    expect(withoutCsrf(known.html)).toBe(withoutCsrf(unknown.html));
    // The mail is on its way (the SMTP server has its data) but not accepted yet.
    while (!order.some((o) => o.startsWith('data for'))) await new Promise((r) => setTimeout(r, 20));
    expect(order).not.toContain('mail accepted');
    release();
    await server.services.services.passwordReset.drain();
    expect(order.filter((o) => o !== 'data for slow@example.com')).toEqual(['response', 'mail accepted']);
  });

  it('logs a failed mail without the link or the address', async () => {
    await createUser(server, { email: 'refused@example.com', password: 'old refused password' });
    await new PasswordForms(server.issuer).forgot('refused@example.com');
    await server.services.services.passwordReset.drain();
    const failure = lines.find((l) => l.includes('background job failed'));
    expect(failure).toBeDefined();
    expect(JSON.parse(failure!)).toMatchObject({ job: 'password reset request' });
    // (The first-run setup URL is logged on purpose: src/welcome/; the reset link never is.)
    expect(lines.join('\n')).not.toMatch(/password\/reset\?token=|refused@example\.com/);
  });
});
