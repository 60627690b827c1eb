// A real SMTP server for tests (smtp-server), listening on a free loopback
// port, that keeps every message it accepts, decoded enough to read:
// recipients, subject, and the text and HTML parts (quoted-printable and
// base64 bodies of nodemailer's multipart/alternative). Use
// `SMTP_URL: smtp.url` in the server's env, then `await smtp.waitFor(to)`.
import { SMTPServer } from 'smtp-server';

export interface ParsedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the first `n` messages to `to` once they arrived (rejects after `timeoutMs`). */
  waitFor(to: string, n?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** The messages to an address so far. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

const unfold = (head: string) => head.replace(/\r?\n[ \t]+/g, ' ');
function headers(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of unfold(block).split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}
function decode(body: string, encoding = ''): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}
const words = (v: string) => v.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
  kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decode(text.replace(/_/g, ' '), 'quoted-printable'));

export function parseMail(raw: string, rcpt: string[]): ParsedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = headers(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const parts: Array<{ type: string; text: string }> = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(head['content-type'] ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const at = chunk.search(/\r?\n\r?\n/);
      const h = headers(chunk.slice(0, at));
      parts.push({ type: h['content-type'] ?? '', text: decode(chunk.slice(at).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, ''), h['content-transfer-encoding']) });
    }
  } else {
    parts.push({ type: head['content-type'] ?? 'text/plain', text: decode(body, head['content-transfer-encoding']) });
  }
  return {
    to: rcpt, subject: words(head.subject ?? ''), raw,
    text: parts.find((p) => /text\/plain/i.test(p.type))?.text ?? '',
    html: parts.find((p) => /text\/html/i.test(p.type))?.text ?? '',
  };
}

export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address.toLowerCase())));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  const to = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    async waitFor(address, n = 1, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (to(address).length < n) {
        if (Date.now() > until) throw new Error(`no ${n} message(s) to ${address} within ${timeoutMs} ms (got ${to(address).length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return to(address).slice(0, n);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
