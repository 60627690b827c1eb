// A real SMTP server for tests (smtp-server), listening on a free local port.
// Messages are kept raw with the envelope recipients and a decoded text
// (quoted-printable undone) so a test can find a link in them. Simpler than
// mailparser's ParsedMail (not installed): { to, subject, text, raw }.
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The whole message with quoted-printable soft breaks and escapes undone. */
  text: string;
  raw: string;
}

export interface TestSmtp {
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the n-th (1-based) message to `to`, waiting up to 10 s. */
  waitFor(to: string, n?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const decodeQp = (s: string) => s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

export async function startSmtp(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject, text: decodeQp(raw), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, n = 1) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = messages.filter((m) => m.to.includes(to.toLowerCase()));
        if (found.length >= n) return found[n - 1]!;
        if (Date.now() > deadline) throw new Error(`no message ${n} to ${to}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
