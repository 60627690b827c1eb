// RFC 8693 token exchange as an oidc-provider custom grant, in the shape every
// module under src/oidc/grants/ has (registered by ../index.ts).
import { createLocalJWKSet } from 'jose';
import { publicJwks } from '../../../keys/key-store.js';
import { resourceServerInfo } from '../../token-config.js';
import type { GrantDeps } from '../grant.js';
import { tokenExchangeHandler } from './handler.js';
import { createTokenResolver } from './subject-tokens.js';
import { TOKEN_EXCHANGE } from './urns.js';

export const grantType = TOKEN_EXCHANGE;
export const parameters = ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'audience', 'resource', 'scope', 'requested_token_type'];
/** §2.1 allows several audiences and resources; the policy then insists on one. */
export const duplicateParameters = ['audience', 'resource'];

export function buildHandler(deps: GrantDeps) {
  const jwks = createLocalJWKSet({ keys: publicJwks(deps.jwks) });
  return tokenExchangeHandler({
    policies: deps.policies, resources: deps.resources, events: deps.events,
    resolver: createTokenResolver(deps.provider, deps.config.issuer, jwks),
    async resourceInfo(indicator) {
      const rs = await deps.resources.find(indicator);
      return resourceServerInfo(deps.config, rs!);
    },
  });
}
