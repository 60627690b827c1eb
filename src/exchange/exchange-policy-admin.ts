// Managing exchange policies (admin API and CLI): the client must exist,
// every audience must be a registered resource server, and the client's
// grant_types must include token exchange for the policy to be usable.
import type { ClientStore } from '../clients/client-store.js';
import type { ResourceStore } from '../resources/resource-store.js';
import type { ExchangePolicyStore } from './exchange-policy-store.js';
import { fromInput, policyView, type ExchangePolicyInput } from './exchange-policy-schema.js';
import { DomainError, notFound } from '../errors/domain-error.js';
import type { AdminActor, AdminAudit } from '../security/admin-audit.js';

import { TOKEN_EXCHANGE } from '../oidc/grants/token-exchange/urns.js';

export { TOKEN_EXCHANGE };

export type ExchangePolicyAdmin = ReturnType<typeof createExchangePolicyAdmin>;

// Changes are audited with the actor and the client id (src/security/admin-audit.ts).
export function createExchangePolicyAdmin(deps: { clients: ClientStore; resources: ResourceStore; policies: ExchangePolicyStore; audit: AdminAudit }) {
  async function mustClient(clientId: string) {
    const c = await deps.clients.get(clientId);
    if (!c) throw notFound('client');
    return c;
  }
  return {
    async get(clientId: string) {
      await mustClient(clientId);
      const p = await deps.policies.get(clientId);
      if (!p) throw notFound('exchange policy');
      return policyView(p);
    },
    async set(clientId: string, input: ExchangePolicyInput, actor: AdminActor) {
      const c = await mustClient(clientId);
      for (const field of ['audiences', 'subject_audiences'] as const) {
        for (const [i, a] of input[field].entries()) {
          if (!(await deps.resources.find(a))) throw new DomainError(400, 'invalid_request', `${field}[${i}] is not a registered resource server`, [{ field: `${field}.${i}`, message: 'not a registered resource server' }]);
        }
      }
      if (!((c.metadata.grant_types as string[] | undefined) ?? []).includes(TOKEN_EXCHANGE)) {
        throw new DomainError(409, 'conflict', `the client's grant_types must include ${TOKEN_EXCHANGE}`);
      }
      const policy = policyView(await deps.policies.set(fromInput(clientId, input)));
      await deps.audit(actor, 'exchange_policy.set', clientId, { audiences: policy.audiences });
      return policy;
    },
    async remove(clientId: string, actor: AdminActor) {
      await mustClient(clientId);
      if (!(await deps.policies.remove(clientId))) throw notFound('exchange policy');
      await deps.audit(actor, 'exchange_policy.delete', clientId);
    },
  };
}
