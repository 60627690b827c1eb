// Registers Gatehouse's custom grants on a provider instance.
import { createPublicKey } from 'node:crypto';
import type Provider from 'oidc-provider';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { useJwtIntrospection } from '../jwt-introspection.js';
import type { ProviderDeps } from '../provider.js';
import { resourceServerInfo } from '../token-config.js';
import { createTokenResolver } from './exchange-tokens.js';
import { buildHandler, DUPLICATES, GRANT_TYPE, PARAMETERS } from './token-exchange.js';

export function publicJwks(jwks: ProviderDeps['jwks']): JSONWebKeySet {
  return {
    keys: jwks.map((k) => ({ ...createPublicKey({ key: k, format: 'jwk' }).export({ format: 'jwk' }), kid: k.kid, alg: k.alg, use: 'sig' })),
  };
}

export function registerTokenExchange(provider: Provider, deps: ProviderDeps): void {
  const jwks = createLocalJWKSet(publicJwks(deps.jwks));
  const verify = async (jwt: string) =>
    jwtVerify(jwt, jwks, { issuer: deps.config.issuer, typ: 'at+jwt' }).then((r) => r.payload, () => null);
  useJwtIntrospection(provider, verify);
  const handler = buildHandler({
    policies: deps.policies, resources: deps.resources, events: deps.events,
    resolver: createTokenResolver(provider, deps.config.issuer, publicJwks(deps.jwks)),
    async resourceInfo(indicator) {
      const rs = await deps.resources.find(indicator);
      return resourceServerInfo(deps.config, rs!);
    },
  });
  provider.registerGrantType(GRANT_TYPE, handler as never, PARAMETERS, DUPLICATES);
}
