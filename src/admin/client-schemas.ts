// Input for creating and updating clients, in RFC 7591 §2 metadata names plus
// Gatehouse's own flags. One schema for the REST API, the console and the CLI,
// so every entry point rejects the same things with the same field names.
// (oidc-provider then checks the resulting metadata with its own rules.)
import { z } from 'zod';

const absoluteUri = z.string().trim().max(2000).refine((v) => URL.canParse(v), 'must be an absolute URI');
const ttl = z.number().int().positive();

const fields = {
  client_name: z.string().trim().min(1).max(200),
  redirect_uris: z.array(absoluteUri).max(20),
  post_logout_redirect_uris: z.array(absoluteUri).max(20),
  // Checked against the grants the provider has enabled by its validation;
  // the implicit and password grants are refused outright (RFC 9700 §2.1.2, §2.4).
  grant_types: z
    .array(z.string().min(1).max(200).refine((g) => g !== 'implicit' && g !== 'password', 'is not allowed (RFC 9700)'))
    .min(1)
    .max(10),
  scope: z.string().trim().max(1000).regex(/^[\x21\x23-\x5b\x5d-\x7e ]*$/, 'must be space-separated scope tokens (RFC 6749 §3.3)'),
  // RFC 7591 §2; private_key_jwt also needs jwks or jwks_uri (dynamic registration).
  token_endpoint_auth_method: z.enum([
    'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none',
    'tls_client_auth', 'self_signed_tls_client_auth', // RFC 8705 §2
  ]),
  client_uri: absoluteUri,
  // For private_key_jwt client authentication (RFC 7523 §2.2).
  jwks_uri: absoluteUri,
  first_party: z.boolean(),
  admin: z.boolean(),
  refresh_token_idle_ttl: ttl,
  refresh_token_absolute_ttl: ttl,
  // Sender-constrained tokens and PAR (RFC 9449 §5.2, RFC 8705 §2.1/§3.4, RFC 9126 §6).
  require_pushed_authorization_requests: z.boolean(),
  dpop_bound_access_tokens: z.boolean(),
  tls_client_certificate_bound_access_tokens: z.boolean(),
  tls_client_auth_subject_dn: z.string().trim().min(1).max(500),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) }),
  // OpenID Connect Back-Channel Logout 1.0 §2.2; session_required defaults to
  // true in Gatehouse (client-admin.ts) so the RP gets `sid` in id_tokens.
  backchannel_logout_uri: absoluteUri,
  backchannel_logout_session_required: z.boolean(),
  // Every sign-in for this client needs a second factor (issue 14; src/mfa/mfa-policy.ts).
  // Gatehouse's own metadata, kept in the client's metadata JSON.
  require_mfa: z.boolean(),
};

export const clientCreateSchema = z
  .object({
    ...fields,
    redirect_uris: fields.redirect_uris.default([]),
    post_logout_redirect_uris: fields.post_logout_redirect_uris.default([]),
    grant_types: fields.grant_types.default(['authorization_code', 'refresh_token']),
    scope: fields.scope.optional(),
    token_endpoint_auth_method: fields.token_endpoint_auth_method.default('client_secret_basic'),
    client_uri: fields.client_uri.optional(),
    jwks_uri: fields.jwks_uri.optional(),
    first_party: fields.first_party.default(false),
    admin: fields.admin.default(false),
    refresh_token_idle_ttl: ttl.optional(),
    refresh_token_absolute_ttl: ttl.optional(),
    require_pushed_authorization_requests: fields.require_pushed_authorization_requests.optional(),
    dpop_bound_access_tokens: fields.dpop_bound_access_tokens.optional(),
    tls_client_certificate_bound_access_tokens: fields.tls_client_certificate_bound_access_tokens.optional(),
    tls_client_auth_subject_dn: fields.tls_client_auth_subject_dn.optional(),
    jwks: fields.jwks.optional(),
    backchannel_logout_uri: fields.backchannel_logout_uri.optional(),
    backchannel_logout_session_required: fields.backchannel_logout_session_required.optional(),
    require_mfa: fields.require_mfa.optional(),
  })
  .strict();

/** Every field optional; `null` removes an optional one. */
export const clientUpdateSchema = z
  .object({
    ...fields,
    scope: fields.scope.nullable(),
    client_uri: fields.client_uri.nullable(),
    jwks_uri: fields.jwks_uri.nullable(),
    refresh_token_idle_ttl: ttl.nullable(),
    refresh_token_absolute_ttl: ttl.nullable(),
    tls_client_auth_subject_dn: fields.tls_client_auth_subject_dn.nullable(),
    jwks: fields.jwks.nullable(),
    backchannel_logout_uri: fields.backchannel_logout_uri.nullable(),
  })
  .partial()
  .strict();

export const pageSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type ClientCreateInput = z.output<typeof clientCreateSchema>;
export type ClientUpdateInput = z.output<typeof clientUpdateSchema>;
export type PageInput = z.output<typeof pageSchema>;

/** Metadata names the API accepts: used to name the field in provider errors. */
export const METADATA_FIELDS = [
  'post_logout_redirect_uris', 'redirect_uris', 'grant_types', 'response_types', 'scope',
  'token_endpoint_auth_method', 'client_uri', 'jwks_uri', 'client_name', 'refresh_token_idle_ttl', 'refresh_token_absolute_ttl',
  'require_pushed_authorization_requests', 'dpop_bound_access_tokens', 'tls_client_certificate_bound_access_tokens',
  'tls_client_auth_subject_dn', 'jwks', 'backchannel_logout_uri', 'backchannel_logout_session_required', 'require_mfa',
];
