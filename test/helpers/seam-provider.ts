// A bare oidc-provider (the installed version, its in-memory adapter, no
// Gatehouse configuration) listening on loopback, with the hooks of
// src/oidc/provider-seam.ts installed so test/integration/oidc/provider-seam.test.ts
// can watch the library's own behaviour through them. A request header
// `x-seam` picks which rewrite runs, so raw and rewritten responses can be
// compared on one instance.
import type { Server } from 'node:http';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import {
  actOf, adjustUserCodeInput, deviceCodeError, afterProvider, jsonBodyOf, afterScopeCheck, allowPrivateNetworks, beforeSecretComparison, downgradeSameSiteNone,
  isUnsupportedIntrospection, oauthErrorOf, renameError, replaceResponse, requestedScope, tokenParameter,
  type DeviceCodeError, type SecretMethod,
} from '../../src/oidc/provider-seam.js';
import { freePort } from './server.js';

export const SECRET = 'a-client-secret-long-enough-for-hs256-0123456789';
export const REDIRECT = 'http://127.0.0.1/cb';
export const RESOURCE = 'https://api.example.test/';
export const CSP = "default-src 'self'; script-src 'self'";

export interface SeamObservations {
  /** What an afterProvider hook saw for each request. */
  responses: Array<{ path: string; status: number; json: boolean; error: string | undefined; description: string | undefined; unsupportedIntrospection: boolean; token: string }>;
  /** What the afterScopeCheck hook saw. */
  scopes: Array<{ route: string; checked: string[]; requested: string[] }>;
  /** What beforeSecretComparison saw. */
  secretChecks: Array<{ registered: string; used: SecretMethod | undefined }>;
  /** Whether each outbound fetch came with the provider's dispatcher. */
  fetches: Array<{ url: string; hadDispatcher: boolean }>;
  /** grant.error events (err as the provider emitted it). */
  grantErrors: Array<{ error?: string; error_detail?: string }>;
  /** The user-code forms the provider rendered, and the failure it reported. */
  device: Array<{ form: string; error: DeviceCodeError | undefined }>;
  /** When false, outbound fetches keep the provider's dispatcher. */
  allowPrivate: boolean;
}

export interface SeamProvider {
  provider: Provider;
  issuer: string;
  seen: SeamObservations;
  close(): Promise<void>;
}

export async function startSeamProvider(logoutUri: string): Promise<SeamProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const seen: SeamObservations = { responses: [], scopes: [], secretChecks: [], fetches: [], grantErrors: [], device: [], allowPrivate: true };
  const client = (id: string, extra: Record<string, unknown>) => ({ client_id: id, client_secret: SECRET, ...extra });
  const provider = new Provider(issuer, {
    clients: [
      client('cc', { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] }),
      client('web', {
        grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_post',
        backchannel_logout_uri: logoutUri, backchannel_logout_session_required: true,
      }),
    ],
    cookies: { keys: ['seam-test-cookie-key'], long: { sameSite: 'none' }, short: { sameSite: 'none' } },
    enableHttpPostMethods: true,
    pkce: { required: () => false },
    ttl: { AccessToken: (_ctx, t) => t.resourceServer?.accessTokenTTL ?? 600, ClientCredentials: 600, Grant: 3600, RefreshToken: 3600, Interaction: 600, Session: 3600, IdToken: 600 },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    scopes: ['openid', 'offline_access', 'api:read'],
    ...afterScopeCheck(async (ctx, checked, c) => {
      const requested = requestedScope(ctx);
      seen.scopes.push({ route: ctx.oidc.route, checked, requested });
      return c.clientId === 'web' && requested.includes('offline_access') && !checked.includes('offline_access')
        ? [...checked, 'offline_access'] : undefined;
    }),
    extraTokenClaims: (async (_ctx: unknown, token: object) => ({ act: actOf(token) })) as never,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx, form, _out, err) => {
          seen.device.push({ form, error: err && deviceCodeError(err) });
          ctx.type = 'html';
          ctx.body = adjustUserCodeInput(form, 'id="user-code"');
        },
      },
      backchannelLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: async () => ({ scope: 'api:read', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 600 }),
      },
    },
    fetch: (url, options) => {
      seen.fetches.push({ url: String(url), hadDispatcher: Boolean((options as { dispatcher?: unknown }).dispatcher) });
      if (seen.allowPrivate) allowPrivateNetworks(options);
      return globalThis.fetch(url, options);
    },
  });
  provider.on('grant.error', (_ctx: unknown, err: { error?: string; error_detail?: string }) => seen.grantErrors.push(err));
  const mode = (ctx: KoaContextWithOIDC) => ctx.get('x-seam');
  provider.use(async (ctx, next) => {
    if (ctx.get('x-seam') === 'csp') ctx.set('Content-Security-Policy', CSP);
    await next();
  });
  afterProvider(provider, (ctx) => {
    const body = oauthErrorOf(ctx);
    seen.responses.push({
      path: ctx.path, status: ctx.status, json: Boolean(jsonBodyOf(ctx)), error: body?.error, description: body?.error_description,
      unsupportedIntrospection: isUnsupportedIntrospection(ctx), token: ctx.oidc ? tokenParameter(ctx) : '',
    });
    if (mode(ctx) === 'rename') renameError(ctx, 'unauthorized_client');
    if (mode(ctx) === 'replace') replaceResponse(ctx, 200, { replaced: true });
    if (mode(ctx) === 'lax') downgradeSameSiteNone(ctx);
  });
  beforeSecretComparison(provider, (registered, used) => {
    seen.secretChecks.push({ registered, used });
    if (used && used !== registered) throw new errors.InvalidClientAuth('method mismatch');
  });
  const server: Server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    provider, issuer, seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
