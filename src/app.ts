// createApp(deps): the Koa application with oidc-provider mounted. Takes every
// dependency explicitly so tests build it exactly as main.ts does.
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import type Provider from 'oidc-provider';
import type { Config } from './config.js';
import type { UserStore } from './users/user-store.js';
import type { ClientStore } from './clients/client-store.js';
import type { PrivateJwk } from './keys/key-store.js';
import type { Logger } from './http/logger.js';
import { createRenderer } from './http/views.js';
import { errorHandler, isAdminApiPath } from './http/error-handler.js';
import { queryBoundary } from './http/input-boundary.js';
import { databaseProbe } from './http/availability.js';
import { securityHeaders } from './http/security-headers.js';
import { requestContext } from './http/request-context.js';
import { buildOpsRoutes } from './http/ops-routes.js';
import { metadataCache } from './http/metadata-cache.js';
import type { Metrics } from './http/metrics.js';
import { createProvider } from './oidc/provider.js';
import type { ConsentStore } from './consent/consent-store.js';
import type { RawSql } from './db/raw-sql.js';
import type { RefreshPolicy } from './oidc/refresh-policy.js';
import type { ResourceStore } from './resources/resource-store.js';
import type { SecurityEvents } from './security/security-events.js';
import type { ExchangePolicyStore } from './exchange/exchange-policy-store.js';
import { recordProviderEvents } from './security/provider-events.js';
import type { ThrottleStore } from './security/throttle-store.js';
import { throttleRules } from './security/throttle-rules.js';
import { createLoginService } from './interaction/login-service.js';
import { protocolThrottle } from './security/protocol-throttle.js';
import { buildInteractionRoutes } from './interaction/interaction-routes.js';
import { createCsrf } from './interaction/csrf.js';
import type { GrantStore } from './oidc/grant-store.js';
import type { TokensAtRest } from './oidc/at-rest.js';
import { useAdmin, type AdminDeps } from './admin/admin-routes.js';
import { buildConsentFilter } from './access/admin-access.js';
import { adminApiIndicator } from './access/admin-access.js';

export interface AppDeps extends AdminDeps {
  config: Config;
  sql: RawSql;
  tokensAtRest: TokensAtRest;
  refreshPolicy: RefreshPolicy;
  resources: ResourceStore;
  events: SecurityEvents;
  throttle: ThrottleStore;
  users: UserStore;
  clients: ClientStore;
  jwks: PrivateJwk[];
  consents: ConsentStore;
  grants: GrantStore;
  policies: ExchangePolicyStore;
  cookieKeys: string[];
  csrfKey: string;
  log: Logger;
  metrics: Metrics;
}

const ROOT = fileURLToPath(new URL('../', import.meta.url).href.replace(/dist\/$/, ''));
export const VIEWS_DIR = `${ROOT}views`;
export const PUBLIC_DIR = `${ROOT}public`;
export const OPENAPI_PATH = `${ROOT}openapi/admin-api.json`;

export function createApp(deps: AppDeps): { app: Koa; provider: Provider } {
  const render = createRenderer(VIEWS_DIR, deps.config.production);
  const provider = createProvider({ ...deps, render });
  provider.on('server_error', (_ctx, err) => deps.log.error('provider error', { err: err.message }));
  recordProviderEvents(provider, deps.events, deps.log);
  provider.on('grant.success', (ctx) => deps.metrics.tokenIssued(String(ctx.oidc.params?.grant_type ?? '')));
  provider.use(protocolThrottle(deps.throttle, throttleRules(deps.config).protocolIp));

  // koa-mount runs the provider's middleware on this app's context, so this app
  // must sign cookies with the same keys the provider verifies them with.
  // maxIpsCount: the client address is TRUST_PROXY_HOPS entries from the right
  // of X-Forwarded-For; entries further left are client-chosen (docs/security.md).
  const app = new Koa({ proxy: deps.config.TRUST_PROXY, maxIpsCount: deps.config.TRUST_PROXY_HOPS, keys: deps.cookieKeys });
  app.use(requestContext(deps.log, (ctx, seconds) => deps.metrics.observeRequest(ctx.method, ctx.path, ctx.status, seconds)));
  // Outside the error handler, so 404s and error pages carry the headers too.
  app.use(securityHeaders());
  app.use(errorHandler(render, deps.log, databaseProbe(deps.sql)));
  // NUL / invalid UTF-8 in a query string: rejected in each edge's format
  // (the admin API checks after authentication, see api-router.ts).
  app.use(queryBoundary(isAdminApiPath));
  const ops = buildOpsRoutes({ sql: deps.sql, metrics: deps.metrics, metricsToken: deps.config.METRICS_TOKEN, production: deps.config.production });
  app.use(ops.routes());
  app.use(metadataCache());
  app.use(mount('/static', serve(PUBLIC_DIR, { maxage: 3600_000, gzip: false, brotli: false })));
  const rules = throttleRules(deps.config);
  const login = createLoginService({ users: deps.users, throttle: deps.throttle, rules, events: deps.events });
  const csrf = createCsrf(deps.csrfKey);
  const resourceScopes = buildConsentFilter(adminApiIndicator(deps.config.issuer), (id) => deps.users.findById(id));
  const interactions = buildInteractionRoutes({ ...deps, provider, render, csrf, login, resourceScopes });
  app.use(interactions.routes()).use(interactions.allowedMethods());
  useAdmin(app, { ...deps, provider, render, csrf, openapiPath: OPENAPI_PATH });
  app.use(mount(provider));
  return { app, provider };
}
