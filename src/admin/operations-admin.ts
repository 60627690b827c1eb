// The admin operations beside users and clients (offered by the CLI): signing
// key rotation, resource server registration, clearing a sign-in lockout.
// Audited here like every admin change (src/security/admin-audit.ts): actor and object id.
import type { KeyStore } from '../keys/key-store.js';
import type { ResourceServer, ResourceStore } from '../resources/resource-store.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import { accountKey } from '../interaction/login-service.js';
import type { AdminActor, AdminAudit } from '../security/admin-audit.js';

export type OperationsAdmin = ReturnType<typeof createOperationsAdmin>;

export function createOperationsAdmin(deps: { keys: KeyStore; resources: ResourceStore; throttle: ThrottleStore; audit: AdminAudit }) {
  const { audit } = deps;
  return {
    /** Stages new signing keys; returns their kids. */
    async rotateKeys(immediately: boolean, actor: AdminActor): Promise<string[]> {
      const staged = await deps.keys.rotate(immediately);
      await audit(actor, 'keys.rotate', staged, { immediately });
      return staged;
    },
    async createResource(r: ResourceServer, actor: AdminActor): Promise<ResourceServer> {
      const created = await deps.resources.create(r);
      await audit(actor, 'resource.create', created.indicator, { scopes: created.scopes });
      return created;
    },
    async unlockUser(email: string, actor: AdminActor): Promise<void> {
      await deps.throttle.reset(accountKey(email));
      await audit(actor, 'user.unlock', email);
    },
  };
}
