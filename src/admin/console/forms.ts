// HTML form bodies to the API's input shapes, so the console goes through the
// same schemas (and reports the same field names) as the REST API.
import { DomainError, type FieldError } from '../../errors/domain-error.js';

type Body = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const lines = (v: unknown) => text(v).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
const checked = (v: unknown) => v === 'on' || v === 'true';

/** For create, an empty optional field is left out; for update it is removed (null). */
export function clientFormInput(body: Body, mode: 'create' | 'update'): Body {
  const scope = text(body.scope);
  const logoutUri = text(body.backchannel_logout_uri);
  return {
    client_name: text(body.client_name),
    redirect_uris: lines(body.redirect_uris),
    post_logout_redirect_uris: lines(body.post_logout_redirect_uris),
    grant_types: list(body.grant_types),
    ...(scope ? { scope } : mode === 'update' ? { scope: null } : {}),
    ...(logoutUri ? { backchannel_logout_uri: logoutUri } : mode === 'update' ? { backchannel_logout_uri: null } : {}),
    token_endpoint_auth_method: text(body.token_endpoint_auth_method) || 'client_secret_basic',
    first_party: checked(body.first_party),
    admin: checked(body.admin),
    require_mfa: checked(body.require_mfa),
  };
}

/** The address inputs of the user form: `address_<part>` per OpenID Connect Core §5.1.1. */
export const ADDRESS_PARTS = ['street_address', 'locality', 'region', 'postal_code', 'country'] as const;

export function userFormInput(body: Body): Body {
  const optional = (k: string) => (text(body[k]) ? { [k]: text(body[k]) } : {});
  const address = Object.fromEntries(ADDRESS_PARTS.filter((p) => text(body[`address_${p}`])).map((p) => [p, text(body[`address_${p}`])]));
  return {
    email: text(body.email),
    password: typeof body.password === 'string' ? body.password : '',
    ...optional('name'),
    roles: text(body.roles).split(/[\s,]+/).filter(Boolean),
    email_verified: checked(body.email_verified),
    ...(Object.keys(address).length ? { address } : {}),
    ...optional('phone_number'),
    phone_number_verified: checked(body.phone_number_verified),
    mfa_required: checked(body.mfa_required),
  };
}

/** Field name (first path segment) to message, for marking inputs invalid. */
export function fieldErrors(err: DomainError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err.fields as FieldError[]) out[f.field.split('.')[0]!] ??= f.message;
  return out;
}

/** The summary above a form (a catalogue key, or the API's own message): field errors are shown at their fields. */
export const formError = (err: DomainError): string =>
  err.fields.length ? 'admin.form.correctFields' : err.message;

/** Runs a form action; a 400 re-renders the form with the errors instead. */
export async function formAction<T>(action: () => Promise<T>, onInvalid: (error: DomainError) => Promise<void>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof DomainError && (err.status === 400 || err.status === 409)) {
      await onInvalid(err);
      return undefined;
    }
    throw err;
  }
}
