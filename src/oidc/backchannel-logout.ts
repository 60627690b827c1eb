// OpenID Connect Back-Channel Logout 1.0 §2.5 for sessions ended outside the
// end_session endpoint (admin API, console, CLI). oidc-provider sends logout
// tokens itself on RP-initiated logout (its end_session endpoint); for the
// admin side this module does the same thing through the same code path.
//
// The library's client model has an untyped `backchannelLogout(sub, sid)`
// method that builds the logout token (§2.4: iss, aud, iat, jti, events, sub
// and/or sid, never nonce), signs it with the provider's keys and POSTs it.
// Using it keeps one implementation of the token format; it is reached through
// backchannelClient in provider-seam.ts and pinned by
// test/integration/oidc/provider-seam.test.ts.
import type Provider from 'oidc-provider';
import type { Logger } from '../http/logger.js';
import { backchannelClient } from './provider-seam.js';

/** One client's view of one session: who to tell, and the sid it was given. */
export interface LogoutTarget {
  accountId: string;
  clientId: string;
  sid: string;
}

export type BackchannelLogout = ReturnType<typeof createBackchannelLogout>;

export function createBackchannelLogout(deps: { provider: () => Promise<Provider>; log: Logger }) {
  return {
    /**
     * Sends a logout token to every target client with a backchannel_logout_uri.
     * Never throws: the session is already gone, and one unreachable RP must
     * not hide the others (§2.7: the OP may not retry; failures are logged).
     * Returns the number of clients that acknowledged (200/204, §2.8).
     */
    async send(targets: LogoutTarget[]): Promise<number> {
      if (!targets.length) return 0;
      let provider: Provider;
      try {
        provider = await deps.provider();
      } catch (err) {
        deps.log.error('back-channel logout unavailable', { err: (err as Error).message });
        return 0;
      }
      const results = await Promise.all(targets.map(async (t) => {
        const client = await backchannelClient(provider, t.clientId);
        if (!client?.backchannelLogoutUri) return false;
        try {
          await client.backchannelLogout(t.accountId, t.sid);
          return true;
        } catch (err) {
          deps.log.warn('back-channel logout failed', { clientId: t.clientId, err: (err as Error).message });
          return false;
        }
      }));
      return results.filter(Boolean).length;
    },
  };
}
