// The input boundary for bytes no part of Gatehouse can take: NUL (PostgreSQL
// text and jsonb cannot hold it, and it is in no identifier, address or
// parameter of RFC 6749 / OpenID Connect) and text that is not well-formed
// UTF-8 (RFC 3629; RFC 6749 Appendix B form-encodes parameters as UTF-8).
// Checked here, once per request, and rejected as a DomainError naming the
// parameter, which src/http/error-handler.ts answers in the edge's format:
// 400 problem JSON for the admin API, OAuth invalid_request for protocol
// endpoints, the error page for browsers.
import { isUtf8 } from 'node:buffer';
import type { Middleware } from 'koa';
import { invalidParameter } from '../errors/domain-error.js';
import { storable } from '../db/storable.js';

export const UNACCEPTABLE = 'must not contain NUL bytes or invalid UTF-8';

// An unpaired UTF-16 surrogate: a JSON string that no UTF-8 text can encode.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A decoded value the rest of Gatehouse can take. */
export const acceptableText = (value: string): boolean => storable(value) && !LONE_SURROGATE.test(value);

const ESCAPE = /^%[0-9a-f]{2}$/i;
/** Percent-decoding to bytes, lenient like querystring.parse (a stray "%" stays as it is). */
const unescapeBytes = (s: string): Buffer =>
  Buffer.concat(s.split(/(%[0-9a-f]{2})/i).map((part) => (ESCAPE.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part))));

const acceptableBytes = (bytes: Buffer): boolean => !bytes.includes(0) && isUtf8(bytes);

/** The name of the first query (or form-encoded) parameter whose name or value cannot be taken. */
export function firstBadParameter(encoded: string): string | undefined {
  for (const pair of encoded.split('&')) {
    if (!pair) continue;
    const [rawName = '', ...rest] = pair.replace(/\+/g, ' ').split('=');
    const name = unescapeBytes(rawName);
    if (!acceptableBytes(name) || !acceptableBytes(unescapeBytes(rest.join('=')))) {
      return acceptableBytes(name) ? name.toString('utf8') : '(parameter name)';
    }
  }
  return undefined;
}

/** The path (a.b.0) of the first string in a parsed JSON body that cannot be taken. */
export function firstBadField(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return acceptableText(value) ? undefined : path.join('.') || '(body)';
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (!acceptableText(key)) return [...path, '(key)'].join('.');
    const bad = firstBadField(item, [...path, key]);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * Rejects a request whose query string carries NUL or invalid UTF-8. app.ts
 * applies it to every route but the admin API, whose router applies it after
 * authentication (a request without credentials learns nothing).
 */
export function queryBoundary(skip: (path: string) => boolean = () => false): Middleware {
  return (ctx, next) => {
    if (skip(ctx.path)) return next();
    const bad = ctx.querystring ? firstBadParameter(ctx.querystring) : undefined;
    if (bad !== undefined) throw invalidParameter(bad, UNACCEPTABLE);
    return next();
  };
}

/** Rejects a parsed JSON body with NUL or unpaired surrogates in any string (after the body parser). */
export function jsonBodyBoundary(): Middleware {
  return (ctx, next) => {
    const bad = firstBadField((ctx.request as { body?: unknown }).body);
    if (bad !== undefined) throw invalidParameter(bad, UNACCEPTABLE);
    return next();
  };
}
