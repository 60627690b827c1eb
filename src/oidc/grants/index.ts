// Registers every custom grant on the provider. Each grant is a module with
// the same exports (grant.ts); the provider's own grants (authorization_code,
// refresh_token, client_credentials, device_code) are configuration, not here.
import type Provider from 'oidc-provider';
import type { CustomGrant, GrantDeps } from './grant.js';
import * as tokenExchange from './token-exchange/index.js';

export const CUSTOM_GRANTS: readonly CustomGrant[] = [tokenExchange];

export function registerGrants(provider: Provider, deps: Omit<GrantDeps, 'provider'>): void {
  for (const grant of CUSTOM_GRANTS) {
    const handler = grant.buildHandler({ ...deps, provider });
    provider.registerGrantType(grant.grantType, handler as never, [...grant.parameters], grant.duplicateParameters ? [...grant.duplicateParameters] : undefined);
  }
}
