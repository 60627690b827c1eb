// The admin REST API under /admin/api: its own router, prefix and credentials
// (Bearer tokens for the admin API resource, see bearer-auth.ts). The OpenAPI
// document is public; everything else needs the admin scope.
import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { bodyParser } from '@koa/bodyparser';
import type { ClientAdmin } from '../client-admin.js';
import type { UserAdmin } from '../user-admin.js';
import type { MfaAdmin } from '../mfa-admin.js';
import type { RegistrationAdmin } from '../registration-admin.js';
import { bearerAuth, type BearerAuthDeps } from './bearer-auth.js';
import { jsonBodyBoundary, queryBoundary } from '../../http/input-boundary.js';
import { addClientRoutes } from './client-routes.js';
import { addUserRoutes } from './user-routes.js';
import { addSessionRoutes } from './session-routes.js';
import { addMfaRoutes } from './mfa-routes.js';
import { addEmailRoutes } from './email-routes.js';
import type { EmailAdmin } from '../email-admin.js';
import { addRegistrationRoutes } from './registration-routes.js';
import { addAuditRoutes } from './audit-routes.js';
import { addExchangePolicyRoutes } from './exchange-policy-routes.js';
import type { ExchangePolicyAdmin } from '../../exchange/exchange-policy-admin.js';
import type { AuditLog } from '../../security/audit-log.js';
import type { Logger } from '../../http/logger.js';

export const ADMIN_API_PREFIX = '/admin/api';

export interface AdminApiDeps extends BearerAuthDeps {
  clientAdmin: ClientAdmin;
  exchangePolicyAdmin: ExchangePolicyAdmin;
  userAdmin: UserAdmin;
  mfaAdmin: MfaAdmin;
  emailAdmin: EmailAdmin;
  registrationAdmin: RegistrationAdmin;
  auditLog: AuditLog;
  log: Logger;
  openapiPath: string;
}

const noStore: Middleware = (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  return next();
};

export function buildAdminApi(deps: AdminApiDeps): { docs: Router; api: Router } {
  const openapi = readFileSync(deps.openapiPath, 'utf8');
  const docs = new Router({ prefix: ADMIN_API_PREFIX });
  docs.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openapi;
  });

  const api = new Router({ prefix: ADMIN_API_PREFIX });
  // Authentication before parsing: a request without credentials learns nothing.
  // Changes are audited by the admin services, with apiActor(ctx) (bearer-auth.ts).
  // Errors are answered as problem JSON by src/http/error-handler.ts. Every
  // response is no-store: some carry secrets shown once (cf. RFC 6749 §5.1).
  api.use(noStore, bearerAuth(deps), queryBoundary(), bodyParser({ enableTypes: ['json'], jsonLimit: '64kb', encoding: 'utf-8' }), jsonBodyBoundary());
  addClientRoutes(api, deps.clientAdmin);
  addExchangePolicyRoutes(api, deps.exchangePolicyAdmin);
  addUserRoutes(api, deps.userAdmin);
  addSessionRoutes(api, deps.userAdmin);
  addMfaRoutes(api, deps.mfaAdmin);
  addEmailRoutes(api, deps.emailAdmin);
  addRegistrationRoutes(api, deps.registrationAdmin);
  addAuditRoutes(api, deps.auditLog);
  return { docs, api };
}
