// A real SMTP server for tests (smtp-server), started on a free loopback
// port: point SMTP_URL at `url` and read what Gatehouse sent. Messages are
// parsed with the small MIME reader below (headers, RFC 2047 encoded words,
// multipart/alternative, quoted-printable and base64 parts: what nodemailer
// writes), enough to assert on the subject, the text and HTML bodies and
// the links in them.
//
//   const smtp = await startSmtp();            // or useSmtp() in a describe
//   const [mail] = await smtp.waitFor('ada@example.com');
//   mail.subject; mail.text; mail.html; mail.links
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

export interface ParsedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) URL in the text part and in href attributes of the HTML part, in order, without duplicates. */
  links: string[];
  headers: Record<string, string>;
  raw: string;
}

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the first `count` messages to `to` once they arrived (rejects after `timeoutMs`). */
  waitFor(to: string, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Messages to `to` received so far. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), to));
        for (const w of waiters) w();
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
    waitFor(address, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const got = to(address);
          if (got.length < count) return;
          cleanup();
          resolve(got.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${count} message(s) to ${address} within ${timeoutMs} ms (got ${to(address).length})`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** startSmtp() in beforeAll and close() in afterAll; call before useServer so `url` is set when the server starts. */
export function useSmtp(): TestSmtp {
  let smtp: TestSmtp | undefined;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const live = () => {
    if (!smtp) throw new Error('useSmtp: the server starts in beforeAll');
    return smtp;
  };
  return {
    get url() { return live().url; },
    get messages() { return live().messages; },
    waitFor: (...a) => live().waitFor(...a),
    to: (a) => live().to(a),
    close: () => live().close(),
  };
}

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  // RFC 5322 §2.2.3: folded header lines continue with whitespace.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

const param = (header: string | undefined, name: string) =>
  new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header ?? '')?.[1];

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    // RFC 2045 §6.7: soft line breaks, then =XX bytes (decoded as UTF-8).
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

// RFC 2047 encoded words (=?utf-8?Q?...?= / =?utf-8?B?...?=).
const decodeWords = (value: string) =>
  value.replace(/=\?[^?]+\?([QB])\?([^?]*)\?=\s*(?==\?)?/gi, (_m, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'));

function parts(raw: string): Array<{ type: string; content: string }> {
  const { headers, body } = splitHead(raw);
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  const boundary = param(headers['content-type'], 'boundary');
  if (type.startsWith('multipart/') && boundary) {
    return body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).flatMap((p) => parts(p.replace(/^\r?\n/, '')));
  }
  return [{ type, content: decodeBody(body, headers['content-transfer-encoding']) }];
}

const unescapeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/gi, '=').replace(/&#61;/g, '=').replace(/&quot;/g, '"');

export function parseMail(raw: string, to: string[] = []): ParsedMail {
  const { headers } = splitHead(raw);
  const all = parts(raw);
  const text = all.find((p) => p.type === 'text/plain')?.content ?? '';
  const html = all.find((p) => p.type === 'text/html')?.content ?? '';
  const links = [
    ...(text.match(/https?:\/\/[^\s<>"]+/g) ?? []),
    ...[...html.matchAll(/href="(https?:\/\/[^"]+)"/g)].map((m) => unescapeHtml(m[1]!)),
  ];
  return {
    to, from: decodeWords(headers.from ?? ''), subject: decodeWords(headers.subject ?? ''), text, html,
    links: [...new Set(links)], headers, raw,
  };
}
