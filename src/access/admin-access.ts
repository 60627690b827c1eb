// Who may hold the admin API's `admin` scope. A named policy (docs/architecture.md):
//
// - Clients must carry the admin flag (set only by an admin: API, console or
//   `gatehouse client create --admin`); any other client asking for the admin
//   API gets invalid_target (RFC 8707 §2), whatever grant it uses. Dynamic
//   registration (RFC 7591) can never set the flag: it is not client metadata.
// - Tokens for a user also need the user to hold the `admin` role: the scope
//   is rejected at consent otherwise, and checked again on every API call, so
//   removing the role or disabling the user takes effect at once even though
//   JWT access tokens (RFC 9068) cannot be recalled. Tokens are short-lived
//   (ADMIN_TOKEN_TTL) for the same reason.
// Trade-off: one coarse scope instead of per-resource scopes (clients:write,
// users:read...): simpler to grant and audit; split it when delegated
// administration is needed.
import type { User } from '../users/user-store.js';
import type { ClientRecord } from '../clients/client-store.js';

export const ADMIN_SCOPE = 'admin';
export const ADMIN_ROLE = 'admin';
export const ADMIN_TOKEN_TTL = 900;

/** The admin API's resource indicator (RFC 8707): tokens for it carry this audience. */
export const adminApiIndicator = (issuer: string) => `${issuer}/admin/api`;

export const userMayAdminister = (user: User | null): boolean =>
  Boolean(user && !user.disabled && user.roles.includes(ADMIN_ROLE));

export const clientMayRequestAdmin = (client: ClientRecord | null): boolean => Boolean(client?.admin);

/** Scopes of the admin API a user may be granted at consent: none unless an admin. */
export function grantableAdminScopes(user: User | null, scopes: string[]): { grant: string[]; reject: string[] } {
  if (userMayAdminister(user)) return { grant: scopes, reject: [] };
  return { grant: scopes.filter((s) => s !== ADMIN_SCOPE), reject: scopes.filter((s) => s === ADMIN_SCOPE) };
}

/**
 * For getResourceServerInfo: may this client ask for tokens for this resource?
 * Only admin-flagged clients may ask for the admin API (`adminApi`).
 */
export function buildResourceGate(adminApi: string, findClient: (clientId: string) => Promise<ClientRecord | null>) {
  return async (indicator: string, clientId: string): Promise<boolean> =>
    indicator !== adminApi || clientMayRequestAdmin(await findClient(clientId));
}

export type ResourceScopeFilter = (accountId: string, indicator: string, scopes: string[]) => Promise<{ grant: string[]; reject: string[] }>;

/** For the consent step: the admin API's scope is granted to admins only. */
export function buildConsentFilter(adminApi: string, findUser: (id: string) => Promise<User | null>): ResourceScopeFilter {
  return async (accountId, indicator, scopes) =>
    indicator === adminApi ? grantableAdminScopes(await findUser(accountId), scopes) : { grant: scopes, reject: [] };
}
