// Admin API authentication: a Bearer access token (RFC 6750 §2.1) issued by
// Gatehouse for the admin API resource, carrying the `admin` scope, whose
// client (and user, for user tokens) still passes admin-policy.ts.
import type { Context, Middleware } from 'koa';
import type { ClientStore } from '../../clients/client-store.js';
import type { UserStore } from '../../users/user-store.js';
import { DomainError } from '../../errors/domain-error.js';
import { ADMIN_SCOPE, clientMayRequestAdmin, userMayAdminister } from '../../access/admin-access.js';
import type { TokenVerifier } from '../../self-client/token-verifier.js';
import type { AdminActor } from '../../security/admin-audit.js';

export interface AdminPrincipal {
  kind: 'user' | 'client';
  /** The user id, or the client id for client_credentials tokens. */
  id: string;
  clientId: string;
}

/** Who makes a change through the API, for the audit trail: the token's subject and client. */
export function apiActor(ctx: Context): AdminActor {
  const p = ctx.state.admin as AdminPrincipal;
  return { subject: p.id, clientId: p.clientId, via: 'api', ip: ctx.ip };
}

const REALM = 'realm="gatehouse-admin"';

/** An authentication failure with its WWW-Authenticate challenge (RFC 6750 §3). */
export function authError(status: 401 | 403, error: string, message: string): DomainError {
  // §3: no error attributes when the request carried no token at all.
  const challenge = error === 'unauthorized'
    ? `Bearer ${REALM}`
    : `Bearer ${REALM}, error="${error}", error_description="${message}"${status === 403 ? `, scope="${ADMIN_SCOPE}"` : ''}`;
  return new DomainError(status, error, message, [], challenge);
}

const B64TOKEN = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export interface BearerAuthDeps {
  verifier: TokenVerifier;
  audience: string;
  clients: ClientStore;
  users: UserStore;
}

export function bearerAuth(deps: BearerAuthDeps): Middleware {
  async function principal(token: string): Promise<AdminPrincipal> {
    const claims = await deps.verifier.accessToken(token, deps.audience).catch(() => {
      throw authError(401, 'invalid_token', 'the access token is invalid or expired');
    });
    if (!String(claims.scope ?? '').split(' ').includes(ADMIN_SCOPE)) {
      throw authError(403, 'insufficient_scope', `the access token lacks the ${ADMIN_SCOPE} scope`);
    }
    const client = await deps.clients.get(claims.client_id);
    if (!client) throw authError(401, 'invalid_token', 'the client of this token no longer exists');
    if (!clientMayRequestAdmin(client)) throw authError(403, 'insufficient_scope', 'the client is not an admin client');
    // RFC 9068 §2.2: sub is the client id for client_credentials tokens.
    if (claims.sub === claims.client_id) return { kind: 'client', id: client.clientId, clientId: client.clientId };
    const user = await deps.users.findById(String(claims.sub));
    if (!user || user.disabled) throw authError(401, 'invalid_token', 'the user of this token is disabled or gone');
    if (!userMayAdminister(user)) throw authError(403, 'insufficient_scope', 'the user does not have the admin role');
    return { kind: 'user', id: user.id, clientId: client.clientId };
  }

  return async (ctx, next) => {
    const header = ctx.get('authorization');
    // Another scheme (or none) carries no Bearer credentials at all.
    if (!/^Bearer /i.test(header)) throw authError(401, 'unauthorized', 'a Bearer access token is required');
    const match = B64TOKEN.exec(header);
    if (!match) throw authError(401, 'invalid_token', 'the Authorization header is not a Bearer token');
    ctx.state.admin = await principal(match[1]!);
    await next();
  };
}
