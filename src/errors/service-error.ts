// Errors of the admin surface, shared by the REST API, the console and the
// CLI. Each carries its HTTP status and an OAuth-style error code (RFC 6749
// §5.2 shape: error + error_description), plus the offending fields for 400s.
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }

  toJSON() {
    return { error: this.error, error_description: this.message, ...(this.fields.length ? { fields: this.fields } : {}) };
  }
}

export const notFound = (what: string) => new AdminError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new AdminError(409, 'conflict', message);

/** A zod failure as a 400 naming every offending field. */
export function invalidInput(error: z.ZodError): AdminError {
  const fields = error.issues.flatMap((issue): FieldError[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'is not a recognised field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AdminError(400, 'invalid_request', `invalid input: ${summary}`, fields);
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
export function invalidMetadata(message: string, knownFields: string[]): AdminError {
  const field = knownFields.find((f) => new RegExp(`\\b${f}\\b`).test(message));
  const error = /redirect_uri/.test(message) ? 'invalid_redirect_uri' : 'invalid_client_metadata';
  return new AdminError(400, error, message, field ? [{ field, message }] : []);
}
