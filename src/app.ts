// createApp(deps): the Koa application around one oidc-provider. Everything
// it mounts was built once in the composition root (src/main.ts); this file
// only decides the order of the middleware and routes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import type Provider from 'oidc-provider';
import type { PrivateJwk } from './keys/key-store.js';
import { errorHandler, isAdminApiPath } from './http/error-handler.js';
import { queryBoundary } from './http/input-boundary.js';
import { databaseProbe } from './http/availability.js';
import { securityHeaders } from './http/security-headers.js';
import { requestContext } from './http/request-context.js';
import { interactionLocale, localeMiddleware } from './http/locale.js';
import { brandAssets } from './branding/brand-routes.js';
import { buildOpsRoutes } from './http/ops-routes.js';
import { metadataCache } from './http/metadata-cache.js';
import { buildInteractionRoutes } from './interaction/interaction-routes.js';
import { buildPasskeyRoutes } from './mfa/passkey-routes.js';
import { buildSecondFactorRoutes } from './mfa/second-factor-routes.js';
import { buildVerifyRoutes } from './self-service/verify-routes.js';
import { buildRegistrationRoutes } from './self-service/registration-routes.js';
import { buildPasswordRoutes } from './password/password-routes.js';
import { useAdmin } from './admin/admin-routes.js';
import { buildWelcomeRoutes } from './welcome/welcome-routes.js';
import { buildAccountPages } from './account/account-pages.js';
import type { Composition } from './composition.js';

export type AppDeps = Omit<Composition, 'provider'> & {
  /** The provider for `jwks`, from the composition's provider holder. */
  provider: Provider;
  jwks: PrivateJwk[];
};

const ROOT = fileURLToPath(new URL('../', import.meta.url).href.replace(/dist\/$/, ''));
export const VIEWS_DIR = `${ROOT}views`;
export const PUBLIC_DIR = `${ROOT}public`;
export const LOCALES_DIR = `${ROOT}locales`;
export const OPENAPI_PATH = `${ROOT}openapi/admin-api.json`;
// The WebAuthn browser library's UMD bundle, served from the installed
// package (nothing is fetched at run time): public/js/passkey.js uses it.
const WEBAUTHN_BUNDLE_DIR = join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '../dist/bundle');

/** The uid of the browser's SSO session: oidc-provider's signed session cookie, looked up through its Session model. */
const currentSsoSession = (provider: Provider) => async (ctx: Koa.Context): Promise<string | undefined> => {
  const id = ctx.cookies.get(provider.cookieName('session'), { signed: true });
  return id ? (await provider.Session.find(id))?.uid : undefined;
};

export function createApp(deps: AppDeps): Koa {
  const { config, log, metrics, provider, stores, services } = deps;
  const sql = deps.db.sql;
  // koa-mount runs the provider's middleware on this app's context, so this app
  // must sign cookies with the same keys the provider verifies them with.
  // maxIpsCount: the client address is TRUST_PROXY_HOPS entries from the right
  // of X-Forwarded-For; entries further left are client-chosen (docs/security.md).
  const app = new Koa({ proxy: config.TRUST_PROXY, maxIpsCount: config.TRUST_PROXY_HOPS, keys: deps.secrets.cookieKeys });
  app.use(requestContext(log, (ctx, seconds) => metrics.observeRequest(ctx.method, ctx.path, ctx.status, seconds)));
  // Outside the error handler, so 404s and error pages carry the headers too.
  app.use(securityHeaders(services.branding.imageOrigin));
  // ctx.state.lang for every page (ui_locales, Accept-Language: http/locale.ts).
  app.use(localeMiddleware(services.i18n));
  // Interaction pages: the authorization request's ui_locales instead.
  app.use(interactionLocale(services.i18n, async (uid) => (await provider.Interaction.find(uid))?.params?.ui_locales));
  app.use(errorHandler(services.render, log, databaseProbe(sql)));
  // NUL / invalid UTF-8 in a query string: rejected in each edge's format
  // (the admin API checks after authentication, see api-router.ts).
  app.use(queryBoundary(isAdminApiPath));
  const ops = buildOpsRoutes({ sql, metrics, metricsToken: config.METRICS_TOKEN, production: config.production });
  app.use(ops.routes());
  app.use(metadataCache());
  // /static/brand.css and THEME_DIR's assets under /theme (branding/brand-routes.ts).
  app.use(brandAssets(services.branding));
  app.use(mount('/static/vendor/simplewebauthn', serve(WEBAUTHN_BUNDLE_DIR, { maxage: 3600_000, gzip: false, brotli: false })));
  app.use(mount('/static', serve(PUBLIC_DIR, { maxage: 3600_000, gzip: false, brotli: false })));
  const interactions = buildInteractionRoutes({
    provider, users: stores.users, consents: stores.consents, events: stores.events,
    render: services.render, csrf: services.csrf, login: services.login, resourceScopes: deps.policies.consentScopes,
    passkeys: services.passkeys.enabled, registration: services.registration.enabled, passwordReset: config.PASSWORD_RESET,
    mfa: { ...services.mfa, factors: stores.factors, policy: deps.policies.mfa },
  });
  const passkeys = buildPasskeyRoutes({
    provider, passkeys: services.passkeys, csrf: services.csrf, users: stores.users, factors: stores.factors,
    pending: services.mfa.pending, recovery: services.mfa.recovery, render: services.render,
  });
  app.use(passkeys.routes()).use(passkeys.allowedMethods());
  // Email verification and self-registration (src/self-service/, docs/self-service.md).
  const selfService = { verification: services.emailVerification, registrations: services.pendingRegistrations, throttle: stores.throttle,
    render: services.render, i18n: services.i18n, csrf: services.csrf };
  const verify = buildVerifyRoutes(selfService);
  app.use(verify.routes()).use(verify.allowedMethods());
  const register = buildRegistrationRoutes({ ...selfService, provider, registration: services.registration,
    mfa: { ...services.mfa, provider, users: stores.users, factors: stores.factors, policy: deps.policies.mfa } });
  app.use(register.routes()).use(register.allowedMethods());
  app.use(interactions.routes()).use(interactions.allowedMethods());
  if (config.PASSWORD_RESET) {
    const password = buildPasswordRoutes({
      provider, render: services.render, i18n: services.i18n, csrf: services.csrf, policy: deps.policies.password, reset: services.passwordReset,
    });
    app.use(password.routes()).use(password.allowedMethods());
  }
  const secondFactor = buildSecondFactorRoutes({
    ...services.mfa, provider, users: stores.users, factors: stores.factors, policy: deps.policies.mfa, render: services.render, csrf: services.csrf,
  });
  app.use(secondFactor.routes()).use(secondFactor.allowedMethods());
  const account = buildAccountPages({ issuer: config.issuer, jwks: deps.jwks, reauthSeconds: config.ACCOUNT_REAUTH_SECONDS, mfaMode: deps.policies.mfa.mode,
    clientSecret: deps.secrets.accountClientSecret, sessions: services.accountSessions, render: services.render, csrf: services.csrf, stores, mfa: services.mfa, passkeys: services.passkeys,
    i18n: services.i18n, messages: services.messages, passwordPolicy: deps.policies.password, passwordRule: deps.policies.throttle.account,
    currentSession: currentSsoSession(provider),
    endSessions: services.endSessions });
  app.use(account.routes()).use(account.allowedMethods());
  useAdmin(app, { ...deps, openapiPath: OPENAPI_PATH });
  // `/` and the first-run `/setup` (src/welcome/).
  const welcome = buildWelcomeRoutes({ issuer: config.issuer, jwksPath: provider.pathFor('jwks'), firstRun: services.firstRun,
    render: services.render, i18n: services.i18n, csrf: services.csrf, minPasswordLength: deps.policies.password.minLength });
  app.use(welcome.routes()).use(welcome.allowedMethods());
  app.use(mount(provider));
  return app;
}
