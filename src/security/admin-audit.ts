// Every admin change is recorded by the service that makes it (src/admin/client-admin.ts,
// user-admin, exchange-policy-admin, ...), so the REST API, the console and
// the CLI cannot differ in what they audit. An event names the actor (who,
// through which client, from where, by which entry point) and the object's
// id; never a request body, password, client secret or token value.
import { userInfo } from 'node:os';
import type { SecurityEvents } from './security-events.js';
import type { Logger } from '../http/logger.js';

export interface AdminActor {
  /** The admin user's id (API user tokens, console), the client id (client_credentials), or the OS user (CLI); none for first-run setup. */
  subject?: string | undefined;
  /** The client the change came through: the API token's client, or the console's own client. */
  clientId?: string | undefined;
  via: 'api' | 'console' | 'cli' | 'setup';
  ip?: string | undefined;
}

/** Records `admin.<type>` for one object (or several ids, or none, e.g. an import). */
export type AdminAudit = (actor: AdminActor, type: string, objectId: string | string[] | null, details?: Record<string, unknown>) => Promise<void>;

export function createAdminAudit(events: SecurityEvents, log: Logger): AdminAudit {
  return async (actor, type, objectId, details = {}) => {
    // The change has happened by now; a failed write is logged, not turned into an error for it.
    await events
      .record({
        type: `admin.${type}`, outcome: 'success', subject: actor.subject ?? null, clientId: actor.clientId ?? null, ip: actor.ip ?? null,
        details: { via: actor.via, object_id: objectId, ...details },
      })
      .catch((err: Error) => log.error('could not record admin audit event', { type, err: err.message }));
  };
}

/** The CLI acts as the operating-system user who runs it. */
export function cliActor(): AdminActor {
  let subject: string | undefined;
  try {
    subject = userInfo().username;
  } catch {
    subject = undefined; // no passwd entry (some containers): still recorded as via cli
  }
  return { via: 'cli', subject };
}

/** Names of the fields a patch changes (never their values: a patch may hold secrets). */
export const changedFields = (patch: object) => Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k).sort();
