// The shape of a custom grant module (each folder under src/oidc/grants/),
// in the shape oidc-provider gives its built-in grants (`provider.registerGrantType`,
// RFC 6749 §4.5): the grant type, the token endpoint parameters it reads, and
// a handler built from explicit deps.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config.js';
import type { ExchangePolicyStore } from '../../exchange/exchange-policy-store.js';
import type { PrivateJwk } from '../../keys/key-store.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import type { SecurityEvents } from '../../security/security-events.js';

export interface GrantDeps {
  provider: Provider;
  config: Config;
  policies: ExchangePolicyStore;
  resources: ResourceStore;
  events: SecurityEvents;
  jwks: PrivateJwk[];
}

export interface CustomGrant {
  grantType: string;
  parameters: readonly string[];
  /** Parameters that may repeat (oidc-provider refuses repeats otherwise). */
  duplicateParameters?: readonly string[];
  buildHandler(deps: GrantDeps): (ctx: KoaContextWithOIDC) => Promise<void>;
}
