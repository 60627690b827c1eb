// Sessions, grants and tokens that oidc-provider keeps in oidc_objects, seen
// from the admin side: list a user's sessions, and revoke by session, user or
// client. Revoking a grant deletes every token issued under it (RFC 7009 §2.1).
// The statements are the oidc-object store's (oidc-object-store.ts).
import type { OidcObjectStore } from './oidc-object-store.js';

export interface SessionInfo {
  /** The session's public uid (never its id: that is the cookie value). */
  uid: string;
  accountId: string;
  loginAt: Date | null;
  createdAt: Date | null;
  expiresAt: Date | null;
  amr: string[];
  clients: string[];
}

interface SessionPayload {
  uid?: string;
  accountId?: string;
  loginTs?: number;
  iat?: number;
  amr?: string[];
  authorizations?: Record<string, { grantId?: string; sid?: string }>;
}

/** A client of a session and the sid it was given (Back-Channel Logout 1.0 §2.4). */
export interface SessionClient {
  accountId: string;
  clientId: string;
  sid: string;
}

export type GrantStore = ReturnType<typeof createGrantStore>;

const fromEpoch = (s: number | undefined) => (typeof s === 'number' ? new Date(s * 1000) : null);

export function createGrantStore(objects: OidcObjectStore) {
  return {
    async sessionsFor(accountId: string): Promise<SessionInfo[]> {
      const rows = await objects.liveSessions(accountId, new Date());
      return rows
        .map(({ payload, expiresAt }) => {
          const p = payload as SessionPayload;
          return {
            uid: String(p.uid), accountId, loginAt: fromEpoch(p.loginTs), createdAt: fromEpoch(p.iat), expiresAt,
            amr: p.amr ?? [], clients: Object.keys(p.authorizations ?? {}),
          };
        })
        .sort((a, b) => (b.loginAt?.getTime() ?? 0) - (a.loginAt?.getTime() ?? 0) || a.uid.localeCompare(b.uid));
    },

    /**
     * The clients of the account's live sessions (or of one session, by uid),
     * read before revoking so they can be sent logout tokens afterwards.
     */
    async sessionClients(accountId: string, uid?: string): Promise<SessionClient[]> {
      const rows = await objects.liveSessions(accountId, new Date(), uid);
      return rows.flatMap(({ payload }) =>
        Object.entries((payload as SessionPayload).authorizations ?? {})
          .filter(([, a]) => typeof a.sid === 'string')
          .map(([clientId, a]) => ({ accountId, clientId, sid: a.sid! })));
    },

    /** Ends one session (the user is signed out there) and revokes its grants. */
    revokeSession: (accountId: string, uid: string): Promise<boolean> => objects.revokeSession(accountId, uid),

    /** Every session, grant and token of the account. Returns the sessions ended. */
    revokeAccount: (accountId: string): Promise<number> => objects.revokeAccount(accountId, new Date()),

    /** The clients the account holds live grants for, with the OpenID scopes granted (the account page's apps). */
    async appsFor(accountId: string): Promise<{ clientId: string; scopes: string[] }[]> {
      const rows = await objects.accountGrants(accountId, new Date());
      const byClient = new Map<string, Set<string>>();
      for (const { payload } of rows) {
        const p = payload as { clientId?: unknown; openid?: { scope?: unknown } };
        if (typeof p.clientId !== 'string') continue;
        const set = byClient.get(p.clientId) ?? new Set<string>();
        if (typeof p.openid?.scope === 'string') p.openid.scope.split(' ').filter(Boolean).forEach((s) => set.add(s));
        byClient.set(p.clientId, set);
      }
      return [...byClient].map(([clientId, scopes]) => ({ clientId, scopes: [...scopes] }));
    },

    /** The account's grants and tokens for one client (RFC 7009 §2.1: tokens of a revoked grant go too). */
    revokeApp: (accountId: string, clientId: string): Promise<number> => objects.revokeAccountClient(accountId, clientId),

    /** Every refresh token of the account. */
    revokeRefreshTokens: (accountId: string): Promise<number> => objects.revokeAccountRefresh(accountId),

    /** Every grant and token of the client (and its registration access tokens). */
    async revokeClient(clientId: string): Promise<void> {
      await objects.revokeClient(clientId);
    },
  };
}
