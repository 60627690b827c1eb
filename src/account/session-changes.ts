// The user's own SSO sessions and connected apps, from the account page
// (issue 15). Sessions are oidc-provider's Session objects (oidc/grant-store.ts);
// ending one deletes it with its grants' tokens and sends back-channel logout
// to its clients, as the admin path does (oidc/end-sessions.ts). An app is
// a client the user consented to (consent/consent-store.ts) or holds grants
// for; removing access forgets the consent and revokes the user's grants and
// tokens for it (RFC 7009 §2.1), so the next sign-in there asks again.
// Gatehouse's own clients (self-client/system-clients.ts) are not apps.
// Audited as account.session_revoke and account.app_remove.
import type { GrantStore, SessionInfo } from '../oidc/grant-store.js';
import type { EndSessions } from '../oidc/end-sessions.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { ClientStore } from '../clients/client-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import { SYSTEM_CLIENT_IDS } from '../self-client/system-clients.js';
import type { Self } from './factor-changes.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';

export interface SessionChangeDeps {
  grants: GrantStore;
  consents: ConsentStore;
  clients: ClientStore;
  events: SecurityEvents;
  endSessions: EndSessions;
}

export interface AccountSessionView extends SessionInfo {
  clientNames: string[];
  current: boolean;
}

export interface AppView {
  clientId: string;
  name: string;
  scopes: string[];
}

export type SessionChanges = ReturnType<typeof createSessionChanges>;

export function createSessionChanges(deps: SessionChangeDeps) {
  const { grants, events } = deps;
  const audit = (who: Self, type: string, details: Record<string, unknown>) =>
    events.record({ type, outcome: 'success', subject: who.userId, clientId: ACCOUNT_CLIENT_ID, ip: who.ip, details: { ...details, self: true } });
  const nameOf = async (clientId: string) => (await deps.clients.get(clientId))?.name ?? clientId;
  const isSystem = (clientId: string) => SYSTEM_CLIENT_IDS.includes(clientId);
  const endOne = (userId: string, uid: string) => deps.endSessions.around(userId, uid, () => grants.revokeSession(userId, uid));

  return {
    async sessions(userId: string, thisUid: string | undefined): Promise<AccountSessionView[]> {
      const list = await grants.sessionsFor(userId);
      return Promise.all(list.map(async (s) => ({
        ...s, clientNames: await Promise.all(s.clients.map(nameOf)), current: s.uid === thisUid,
      })));
    },

    async revoke(who: Self, uid: string): Promise<boolean> {
      if (!(await endOne(who.userId, uid))) return false;
      await audit(who, 'account.session_revoke', { session_id: uid });
      return true;
    },

    /** Ends every session but this browser's; with refreshTokens, every refresh token too. Returns the sessions ended. */
    async endOthers(who: Self, thisUid: string | undefined, o: { refreshTokens?: boolean; audit?: boolean } = {}): Promise<number> {
      const others = (await grants.sessionsFor(who.userId)).filter((s) => s.uid !== thisUid);
      let ended = 0;
      for (const s of others) if (await endOne(who.userId, s.uid)) ended += 1;
      if (o.refreshTokens) await grants.revokeRefreshTokens(who.userId);
      if (o.audit) await audit(who, 'account.session_revoke', { others: true, sessions_ended: ended });
      return ended;
    },

    async apps(userId: string): Promise<AppView[]> {
      const [consented, granted] = await Promise.all([deps.consents.list(userId), grants.appsFor(userId)]);
      const scopes = new Map<string, Set<string>>();
      for (const a of [...consented, ...granted]) {
        if (isSystem(a.clientId)) continue;
        const set = scopes.get(a.clientId) ?? new Set<string>();
        a.scopes.forEach((s) => set.add(s));
        scopes.set(a.clientId, set);
      }
      const apps = await Promise.all([...scopes].map(async ([clientId, set]) => ({ clientId, name: await nameOf(clientId), scopes: [...set].sort() })));
      return apps.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** Forgets the consent and revokes the user's grants and tokens for the client; false when it is not one of the user's apps. */
    async removeApp(who: Self, clientId: string): Promise<boolean> {
      if (isSystem(clientId) || !(await this.apps(who.userId)).some((a) => a.clientId === clientId)) return false;
      await deps.consents.forget(who.userId, clientId);
      const revoked = await grants.revokeApp(who.userId, clientId);
      await audit(who, 'account.app_remove', { client: clientId, objects_revoked: revoked });
      return true;
    },
  };
}
