// Builds the oidc-provider instance from Gatehouse's config and stores.
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config.js';
import type { PrivateJwk } from '../keys/key-store.js';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import { chooseLanguage } from '../http/locale.js';
import type { UserStore } from '../users/user-store.js';
import type { ClientStore } from '../clients/client-store.js';
import type { ClientLookup } from '../clients/client-lookup.js';
import { createClientRemoval } from '../clients/client-removal.js';
import { createAdapterFactory } from './adapter.js';
import type { OidcObjectStore } from './oidc-object-store.js';
import { buildFindAccount, CLAIMS_BY_SCOPE } from './account.js';
import { buildLoadExistingGrant } from './existing-grant.js';
import { createRefreshTokenAdapter } from './refresh-adapter.js';
import { tokenConfiguration } from './token-config.js';
import { useRfcErrorCodes } from './error-codes.js';
import { errorPage } from '../errors/translate.js';
import { senderConstraintFeatures } from './sender-constraints.js';
import type { RefreshPolicy } from './refresh-policy.js';
import type { ResourceStore } from '../resources/resource-store.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { GrantStore } from './grant-store.js';
import { registrationFeatures } from './registration.js';
import { buildResourceGate } from '../access/admin-access.js';
import { adminApiIndicator } from '../access/admin-access.js';
import type { ExchangePolicyStore } from '../exchange/exchange-policy-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import { registerGrants } from './grants/index.js';
import { installJwtIntrospection } from './jwt-introspection.js';
import { allowPrivateNetworks } from './provider-seam.js';
import { deviceFlowFeature } from './device-flow.js';
import { servedApis, tokenPolicyFeatures } from './token-policies.js';
import { firstPartyOfflineAccess } from './offline-access.js';
import { enforceRegisteredSecretMethod } from './client-auth-method.js';
import { httpPostMethods, sessionCookies, useLaxCookiesOverHttp } from './http-post.js';
import { ACR_VALUES, mfaInteractionPolicy, withAcrAmr, withRequireMfa } from './mfa-config.js';

export interface ProviderDeps {
  config: Config;
  /** oidc_objects, token values hashed and sealed at rest (oidc-object-store.ts). */
  oidcObjects: OidcObjectStore;
  refreshPolicy: RefreshPolicy;
  resources: ResourceStore;
  users: UserStore;
  clients: ClientStore;
  /** The cached read view of clients the adapter serves (client-lookup.ts). */
  clientLookup: ClientLookup;
  consents: ConsentStore;
  grants: GrantStore;
  policies: ExchangePolicyStore;
  events: SecurityEvents;
  jwks: PrivateJwk[];
  cookieKeys: string[];
  render: Render;
  i18n: I18n;
}

export function createProvider(deps: ProviderDeps): Provider {
  const { config, render } = deps;
  // Pages oidc-provider renders follow the request's ui_locales (OIDC Core §3.1.2.1), then Accept-Language.
  const langOf = (ctx: KoaContextWithOIDC) => chooseLanguage(deps.i18n, ctx, ctx.oidc?.params?.ui_locales);
  const gate = buildResourceGate(adminApiIndicator(config.issuer), (id) => deps.clients.get(id));
  const tokens = tokenConfiguration(config, deps.refreshPolicy, deps.resources, gate);
  // One rule for opaque and JWT introspection (token-policies.ts).
  const served = servedApis(deps.policies);
  const clientWrites = {
    saveRegistered: deps.clients.saveRegistered,
    remove: createClientRemoval(deps),
  };
  const configuration: Configuration = {
    ...tokens,
    // Multi-factor sign-in (mfa-config.ts): acr values, require_mfa, acr/amr in id_tokens, step-up.
    acrValues: ACR_VALUES,
    // OpenID Connect Discovery 1.0 §3: the page languages (one per locales/
    // file, src/i18n/i18n.ts) and the operator's policy and terms pages.
    discovery: {
      ui_locales_supported: deps.i18n.languages,
      ...(config.PRIVACY_URL ? { op_policy_uri: config.PRIVACY_URL } : {}),
      ...(config.TERMS_URL ? { op_tos_uri: config.TERMS_URL } : {}),
    },
    extraClientMetadata: withRequireMfa(tokens.extraClientMetadata),
    adapter: createAdapterFactory(deps.oidcObjects, deps.clientLookup, clientWrites, {
      RefreshToken: createRefreshTokenAdapter(deps.oidcObjects, deps.refreshPolicy),
    }),
    findAccount: buildFindAccount(deps.users),
    jwks: { keys: deps.jwks as never[] },
    ...httpPostMethods,
    ...firstPartyOfflineAccess(deps.clients),
    cookies: sessionCookies(deps.cookieKeys),
    claims: withAcrAmr(Object.fromEntries(Object.entries(CLAIMS_BY_SCOPE).map(([k, v]) => [k, [...v]]))),
    scopes: ['openid', 'offline_access', 'profile', 'email', 'address', 'phone'],
    // RFC 9700 §2.1.1: PKCE for every client, S256 only (plain is never accepted).
    pkce: { required: () => true },
    // RFC 9700 §2.1.2: no implicit (`id_token`, `token`) or hybrid (`code
    // id_token`) responses; tokens only come from the token endpoint. Client
    // metadata asking for others fails validation (invalid_client_metadata).
    responseTypes: ['code', 'none'],
    clientAuthMethods: [
      'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt',
      'tls_client_auth', 'self_signed_tls_client_auth', 'none',
    ],
    features: {
      ...(tokens.features as object),
      ...(senderConstraintFeatures(config) as object),
      ...registrationFeatures(config.DYNAMIC_REGISTRATION),
      devInteractions: { enabled: false },
      // RFC 7662 §4 / RFC 7009 §2.1: who may see or revoke which token.
      ...tokenPolicyFeatures(served),
      userinfo: { enabled: true },
      // Back-Channel Logout 1.0: logout tokens on end_session (the library) and
      // on admin session revocation (backchannel-logout.ts). Front-Channel
      // Logout is not offered: oidc-provider 9 no longer implements it.
      backchannelLogout: { enabled: true },
      deviceFlow: deviceFlowFeature(render, deps.i18n),
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = await render('logout', { lang: langOf(ctx), formHtml: form, clientName: ctx.oidc.client?.clientName ?? null });
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = await render('logged-out', { lang: langOf(ctx), clientName: ctx.oidc.client?.clientName ?? null });
        },
      },
    },
    // oidc-provider's fetch refuses special-use addresses; OUTBOUND_PRIVATE_NETWORKS opts out.
    fetch: (url, options) => {
      if (config.OUTBOUND_PRIVATE_NETWORKS) allowPrivateNetworks(options);
      return globalThis.fetch(url, options);
    },
    loadExistingGrant: buildLoadExistingGrant(deps.consents, deps.clients),
    interactions: { policy: mfaInteractionPolicy(config.MFA_POLICY, deps.users), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Browser-facing errors (bad client, bad redirect_uri) render a page and
    // never redirect (RFC 6749 §4.1.2.1).
    async renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = await render('error', { ...errorPage(out.error, out.error_description, (ctx.state as { requestId?: string }).requestId ?? null), lang: langOf(ctx) });
    },
  };
  const provider = new Provider(config.issuer, configuration);
  // Same client-address rule as the outer app (app.ts): koa-mount runs the
  // provider on the outer context, but the provider must agree if used alone.
  provider.proxy = config.TRUST_PROXY;
  provider.maxIpsCount = config.TRUST_PROXY_HOPS;
  useRfcErrorCodes(provider);
  useLaxCookiesOverHttp(provider);
  enforceRegisteredSecretMethod(provider);
  installJwtIntrospection(provider, { issuer: config.issuer, jwks: deps.jwks, served });
  registerGrants(provider, deps);
  return provider;
}
