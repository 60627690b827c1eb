// Builds the admin surface's routers (REST API + OpenAPI document, console)
// from the app's dependencies. Called by createApp.
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from '../config.js';
import type { Render } from '../http/views.js';
import type { Csrf } from '../interaction/csrf.js';
import type { ClientStore } from '../clients/client-store.js';
import type { UserStore } from '../users/user-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { PrivateJwk } from '../keys/key-store.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Logger } from '../http/logger.js';
import type { ExchangePolicyAdmin } from '../exchange/exchange-policy-admin.js';
import type { ClientAdmin } from './client-admin.js';
import type { UserAdmin } from './user-admin.js';
import { createRegistrationAdmin } from './registration-admin.js';
import { createTokenVerifier } from './token-verifier.js';
import { adminApiIndicator } from '../access/admin-access.js';
import { buildAdminApi } from './api/api-router.js';
import { buildConsole } from './console/console-router.js';
import { createConsoleSessions } from './console/console-session.js';

export interface AdminDeps {
  config: Config;
  clients: ClientStore;
  users: UserStore;
  events: SecurityEvents;
  log: Logger;
  jwks: PrivateJwk[];
  clientAdmin: ClientAdmin;
  userAdmin: UserAdmin;
  exchangePolicyAdmin: ExchangePolicyAdmin;
  consoleBox: SecretBox;
  consoleClientSecret: string;
}

export function useAdmin(app: Koa, deps: AdminDeps & { provider: Provider; render: Render; csrf: Csrf; openapiPath: string }): void {
  const { issuer } = deps.config;
  const verifier = createTokenVerifier(issuer, deps.jwks);
  const registrationAdmin = createRegistrationAdmin({
    enabled: deps.config.DYNAMIC_REGISTRATION, issuer, provider: async () => deps.provider,
  });
  const { docs, api } = buildAdminApi({ ...deps, verifier, audience: adminApiIndicator(issuer), registrationAdmin });
  const consoleRouter = buildConsole({ ...deps, issuer, verifier, clientSecret: deps.consoleClientSecret, sessions: createConsoleSessions(deps.consoleBox) });
  for (const router of [docs, api, consoleRouter]) app.use(router.routes()).use(router.allowedMethods());
}
