// The one error model. Code below the edges throws DomainError: an HTTP
// status, an OAuth-style error code (RFC 6749 §5.2 shape: error +
// error_description), a message, and optionally the offending fields (400s)
// and a WWW-Authenticate challenge (RFC 6750 §3). Nothing else is thrown on
// purpose; anything else that arrives at an edge (oidc-provider's own errors,
// Koa HttpErrors from body parsers, bugs) is classified by toDomainError()
// in ./translate.ts, the one place that knows those shapes.
//
// Each edge maps it once, into its protocol's format:
// - admin API (/admin/api): problem JSON { error, error_description, fields? },
//   no-store, WWW-Authenticate on 401/403 — translate.ts problemBody(),
//   applied by src/http/error-handler.ts;
// - OAuth / OIDC endpoints: oidc-provider renders its own errors (RFC 6749
//   §5.2); src/oidc/error-codes.ts corrects codes, error-handler.ts maps what
//   escapes it with translate.ts oauthBody();
// - browser pages: the error view (views/error.ejs) via error-handler.ts and
//   the provider's renderError (src/oidc/provider.ts), both from pageModel();
//   console forms re-render with fieldErrors() (src/admin/console/forms.ts);
// - CLI: exit code + one-line message — translate.ts cliExit(), used by
//   src/cli/index.ts;
// - resource servers (the gatehouse/resource-server package) keep their own
//   BearerError: that package stands alone and its error is its public API.
// Still apart: users/user-store.ts's DuplicateEmailError, a store signal that
// admin/user-admin.ts maps to conflict() and cli/user-import.ts skips.
// An outage (503 + Retry-After) is mapped once, in error-handler.ts, from
// src/http/availability.ts. NUL and invalid UTF-8 are rejected once, at the
// input boundary (src/http/input-boundary.ts): every query string and the
// admin API's JSON bodies. Form bodies (login, console, oidc-provider) still
// rely on the stores dropping NUL (src/db/storable.ts and the stores).
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly fields: FieldError[] = [],
    /** The WWW-Authenticate value of a 401/403 (RFC 6750 §3). */
    readonly challenge?: string,
    /** What the error page tells a person (src/errors/translate.ts plainReason), when the code alone does not say it. */
    readonly reason?: string,
  ) {
    super(message);
  }

  toJSON() {
    return { error: this.error, error_description: this.message, ...(this.fields.length ? { fields: this.fields } : {}) };
  }
}

export const notFound = (what: string) => new DomainError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new DomainError(409, 'conflict', message);
/** A request parameter that cannot be taken, named so the caller can fix it. */
export const invalidParameter = (field: string, message: string) =>
  new DomainError(400, 'invalid_request', `invalid input: ${field}: ${message}`, [{ field, message }]);
/** A command line that cannot be run: the CLI answers with its usage (exit 2). */
export const usageError = (message: string) => new DomainError(400, 'usage', message);
/** Settings the process cannot start with (src/config.ts). */
export const configError = (message: string) => new DomainError(500, 'invalid_configuration', message);

/** A zod failure as a 400 naming every offending field. */
export function invalidInput(error: z.ZodError): DomainError {
  const fields = error.issues.flatMap((issue): FieldError[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'is not a recognised field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new DomainError(400, 'invalid_request', `invalid input: ${summary}`, fields);
}

/** Parses with the schema or throws a 400 naming the fields. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

// Client metadata rejected by oidc-provider's rules: RFC 7591 §3.2.2 names
// this error invalid_client_metadata (or invalid_redirect_uri). The provider's
// message starts with, or mentions, the metadata field it is about.
export function invalidMetadata(message: string, knownFields: string[] = []): DomainError {
  const field = knownFields.find((f) => new RegExp(`\\b${f}\\b`).test(message));
  const error = /redirect_uri/.test(message) ? 'invalid_redirect_uri' : 'invalid_client_metadata';
  return new DomainError(400, error, message, field ? [{ field, message }] : []);
}

export const isMetadataError = (err: unknown): err is DomainError =>
  err instanceof DomainError && (err.error === 'invalid_client_metadata' || err.error === 'invalid_redirect_uri');
