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
// A ctx.throw(status, message, { reason }) names what the error page says (plainReason below).
interface Foreign { status?: number; expose?: boolean; message?: string; error?: string; error_description?: string; reason?: unknown }

/** The one classification of a thrown value. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const e = (err ?? {}) as Foreign;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
  const reason = typeof e.reason === 'string' ? e.reason : undefined;
  if (status >= 500) return new DomainError(status, e.error ?? 'server_error', UNEXPECTED, [], undefined, reason);
  const description = e.expose !== false ? String(e.error_description ?? e.message) : UNEXPECTED;
  return new DomainError(status, e.error ?? 'invalid_request', description, [], undefined, reason);
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
  return errorPage(e.error, oauthBody(e).error_description, requestId, e.reason ?? plainReason(e.error, e.status, e.message));
}

/**
 * The same locals for an error oidc-provider has already formatted (its
 * renderError, src/oidc/provider.ts). `reason` picks the plain-language
 * texts of views/error.ejs (locales: error.reasons.<reason>.title/what/todo);
 * the protocol code, its description and the request id stay on the page
 * as the small "details for support".
 */
export const errorPage = (error: string, description: string | undefined, requestId: string | null, reason = plainReason(error, 400, description)) =>
  ({ title: 'Error', error, errorDescription: description ?? 'The request could not be completed.', requestId, reason });

export const PLAIN_REASONS = [
  'invalid_request', 'invalid_client', 'invalid_redirect_uri', 'access_denied', 'login_required', 'expired',
  'server_error', 'temporarily_unavailable', 'csrf', 'forbidden', 'not_found', 'unsupported', 'generic',
] as const;

/** Which plain-language explanation fits a protocol error (RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6). */
export function plainReason(error: string, status: number, description = ''): string {
  if (status === 503 || error === 'temporarily_unavailable') return 'temporarily_unavailable';
  if (status >= 500 || error === 'server_error') return 'server_error';
  if (status === 404 || error === 'not_found') return 'not_found';
  // oidc-provider's SessionNotFound / an interaction cookie that outlived its interaction.
  if (/session not found|interaction .*(not found|expired)|expired/i.test(description)) return 'expired';
  switch (error) {
    case 'invalid_client': case 'unauthorized_client': return 'invalid_client';
    case 'invalid_redirect_uri': return 'invalid_redirect_uri';
    case 'access_denied': return 'access_denied';
    case 'login_required': case 'interaction_required': case 'consent_required': case 'account_selection_required': return 'login_required';
    case 'unsupported_response_type': case 'unsupported_grant_type': case 'request_not_supported': case 'request_uri_not_supported': case 'registration_not_supported': return 'unsupported';
    case 'invalid_request': case 'invalid_scope': case 'invalid_request_object': case 'invalid_target': return 'invalid_request';
    default: return 'generic';
  }
}

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
