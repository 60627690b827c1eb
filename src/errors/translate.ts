// The edge translators of the error model (see the comment at the top of
// ./domain-error.ts): anything thrown becomes a DomainError here, and each
// edge's wire format is one function of it. Pure, so test/unit/errors/
// checks every mapping without a server.
import { DomainError } from './domain-error.js';

/** What a 5xx says on the wire: never the internal message or a stack trace. */
export const UNEXPECTED = 'An unexpected error occurred.';

// Thrown things that are not ours but carry a status: Koa HttpErrors (body
// parsers, ctx.throw) and oidc-provider's errors, which carry error and
// error_description (RFC 6749 §5.2) and expose=false when internal.
interface Foreign { status?: number; expose?: boolean; message?: string; error?: string; error_description?: string }

/** The one classification of a thrown value. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const e = (err ?? {}) as Foreign;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
  if (status >= 500) return new DomainError(status, e.error ?? 'server_error', UNEXPECTED);
  const description = e.expose !== false ? String(e.error_description ?? e.message) : UNEXPECTED;
  return new DomainError(status, e.error ?? 'invalid_request', description);
}

/** Admin API: problem JSON, the body documented in openapi/admin-api.json. */
export function problemBody(e: DomainError) {
  return e.status >= 500 ? { error: e.error, error_description: UNEXPECTED } : e.toJSON();
}

/** OAuth / OIDC endpoints: RFC 6749 §5.2 error JSON. */
export function oauthBody(e: DomainError) {
  return { error: e.error, error_description: e.status >= 500 && e.status !== 503 ? UNEXPECTED : e.message };
}

/** Browser pages: the locals of views/error.ejs. */
export function pageModel(e: DomainError, requestId: string | null) {
  return errorPage(e.error, oauthBody(e).error_description, requestId);
}

/** The same locals for an error oidc-provider has already formatted (its renderError, src/oidc/provider.ts). */
export const errorPage = (error: string, description: string | undefined, requestId: string | null) =>
  ({ title: 'Error', error, errorDescription: description ?? 'The request could not be completed.', requestId });

/** Headers every edge adds for an error: the RFC 6750 §3 challenge, and 503's Retry-After (RFC 9110 §10.2.3). */
export function errorHeaders(e: DomainError, retryAfterSeconds: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (e.challenge) headers['WWW-Authenticate'] = e.challenge;
  if (e.status === 503) Object.assign(headers, { 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' });
  return headers;
}

/** CLI: exit code 2 with the usage text for a bad command line, else 1 with the first line of the message. */
export function cliExit(err: unknown): { code: 1 | 2; message: string; showUsage: boolean } {
  if (err instanceof DomainError && err.error === 'usage') return { code: 2, message: err.message, showUsage: true };
  const message = (err as Error | undefined)?.message ?? String(err);
  return { code: 1, message: message.trim().split('\n')[0]!, showUsage: false };
}
