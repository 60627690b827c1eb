// Mounts the admin surface (REST API + OpenAPI document, console) on the app,
// from the composition's groups. Called by createApp (src/app.ts).
import type Koa from 'koa';
import type { PrivateJwk } from '../keys/key-store.js';
import type { Composition } from '../composition.js';
import { createTokenVerifier } from '../self-client/token-verifier.js';
import { adminApiIndicator } from '../access/admin-access.js';
import { buildAdminApi } from './api/api-router.js';
import { buildConsole } from './console/console-router.js';

export type AdminSurfaceDeps = Pick<Composition, 'config' | 'log' | 'stores' | 'services' | 'admin' | 'secrets'> & {
  /** Admin tokens are verified locally against the keys the current provider signs with. */
  jwks: PrivateJwk[];
  openapiPath: string;
};

export function useAdmin(app: Koa, deps: AdminSurfaceDeps): void {
  const { config, log, stores, services, admin } = deps;
  const { issuer } = config;
  const verifier = createTokenVerifier(issuer, deps.jwks);
  const { docs, api } = buildAdminApi({
    verifier, audience: adminApiIndicator(issuer), clients: stores.clients, users: stores.users, auditLog: stores.auditLog, log,
    clientAdmin: admin.clients, exchangePolicyAdmin: admin.exchangePolicies, userAdmin: admin.users, mfaAdmin: admin.mfa, emailAdmin: admin.email, registrationAdmin: admin.registration,
    openapiPath: deps.openapiPath,
  });
  const consoleRouter = buildConsole({
    issuer, verifier, clientSecret: deps.secrets.consoleClientSecret, sessions: services.consoleSessions,
    render: services.render, csrf: services.csrf, users: stores.users, events: stores.events, log,
    clientAdmin: admin.clients, userAdmin: admin.users, mfaAdmin: admin.mfa,
  });
  for (const router of [docs, api, consoleRouter]) app.use(router.routes()).use(router.allowedMethods());
}
