// Client metadata as Gatehouse registers it (RFC 7591 §2 names), and client
// ids and secrets: pure, shared by the store and the admin services.
import { randomBytes } from 'node:crypto';

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  grantTypes?: string[] | undefined;
  scope?: string | undefined;
  public?: boolean | undefined;
  /** RFC 7591 §2 token_endpoint_auth_method; overrides `public` when set. */
  authMethod?: string | undefined;
  firstParty?: boolean | undefined;
  /** May obtain the admin API scope (see src/access/admin-access.ts). */
  admin?: boolean | undefined;
  extra?: Record<string, unknown> | undefined;
}

/** Auth methods that do not use a client secret (RFC 7591 §2). */
export const needsSecret = (metadata: Record<string, unknown>) =>
  !['none', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'].includes(String(metadata.token_endpoint_auth_method));

export function buildMetadata(input: NewClient, clientId: string): Record<string, unknown> {
  const grantTypes = input.grantTypes?.length ? input.grantTypes : ['authorization_code', 'refresh_token'];
  return {
    ...input.extra,
    client_id: clientId,
    client_name: input.name,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: input.authMethod ?? (input.public ? 'none' : 'client_secret_basic'),
    ...(input.scope ? { scope: input.scope } : {}),
  };
}

export const newSecret = () => randomBytes(32).toString('base64url');

/** 96 random bits, base64url; never starting with '-', which shells and option parsers read as a flag. */
export function newClientId(): string {
  for (;;) {
    const id = randomBytes(12).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
