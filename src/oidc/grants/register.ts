// Registers Gatehouse's custom grants on a provider instance.
import type Provider from 'oidc-provider';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { publicJwks } from '../../keys/key-store.js';
import { useJwtIntrospection } from '../jwt-introspection.js';
import { mayIntrospect, servedApis } from '../token-policies.js';
import type { ProviderDeps } from '../provider.js';
import { resourceServerInfo } from '../token-config.js';
import { createTokenResolver } from './exchange-tokens.js';
import { buildHandler, DUPLICATES, GRANT_TYPE, PARAMETERS } from './token-exchange.js';

export function registerTokenExchange(provider: Provider, deps: ProviderDeps): void {
  const jwks = createLocalJWKSet({ keys: publicJwks(deps.jwks) });
  const verify = async (jwt: string) =>
    jwtVerify(jwt, jwks, { issuer: deps.config.issuer, typ: 'at+jwt' }).then((r) => r.payload, () => null);
  const served = servedApis(deps.policies);
  useJwtIntrospection(provider, verify, (caller, token) => mayIntrospect(served, caller, token));
  const handler = buildHandler({
    policies: deps.policies, resources: deps.resources, events: deps.events,
    resolver: createTokenResolver(provider, deps.config.issuer, jwks),
    async resourceInfo(indicator) {
      const rs = await deps.resources.find(indicator);
      return resourceServerInfo(deps.config, rs!);
    },
  });
  provider.registerGrantType(GRANT_TYPE, handler as never, PARAMETERS, DUPLICATES);
}
