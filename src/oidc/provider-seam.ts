// The one seam onto oidc-provider. Everything Gatehouse relies on beyond the
// library's documented configuration API lives here: its error texts, the
// shape of ctx.body after next(), cookie serialisation, Client model methods
// and prototype, request internals on ctx.oidc, ad-hoc properties on its
// models, options of its outbound fetch, its generated markup and CSP. Feature
// modules call these small functions instead of touching the internals.
//
// Each reliance is exercised against a real listening provider of the
// installed version in test/integration/oidc/provider-seam.test.ts, which also
// asserts that version equals SEAM_VERSION: an upgrade fails there first, and
// this file is where it is fixed.
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { decodeJwt } from 'jose';
import { spaceList } from './space-list.js';

/** The oidc-provider version every function here was written and tested for. */
export const SEAM_VERSION = '9.13.3';

type Ctx = KoaContextWithOIDC;
type ProviderClient = NonNullable<Ctx['oidc']['client']>;
export interface OAuthErrorBody { error?: string; error_description?: string }

// --- Error texts ------------------------------------------------------------

// invalid_request texts for a grant type the client is not registered for, at
// the token endpoint and at the device authorization endpoint.
const GRANT_NOT_ALLOWED = new Set([
  'requested grant type is not allowed for this client',
  'urn:ietf:params:oauth:grant-type:device_code is not allowed for this client',
]);

export const isGrantTypeNotAllowed = (description: string | undefined): boolean => GRANT_NOT_ALLOWED.has(description ?? '');

/**
 * The error_detail of the invalid_grant the refresh_token grant throws for a
 * consumed refresh token (refresh-adapter.ts throws the same text when it
 * loses a rotation race, so both are one event).
 */
export const REFRESH_TOKEN_REUSED = 'refresh token already used';

export const isRefreshTokenReuse = (err: { error_detail?: string }): boolean => err.error_detail === REFRESH_TOKEN_REUSED;

// --- Responses, read and rewritten after next() -----------------------------

/** Runs `after` once the provider has produced its response. */
export function afterProvider(provider: Provider, after: (ctx: Ctx) => Promise<void> | void): void {
  provider.use(async (ctx, next) => {
    await next();
    await after(ctx as unknown as Ctx);
  });
}

/** A provider JSON response (discovery, JWKS, errors...) is still an unserialised object after next(). */
export function jsonBodyOf(ctx: { body?: unknown }): Record<string, unknown> | undefined {
  const body = ctx.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : undefined;
}

/** The OAuth error in a provider response, read after next(). */
export const oauthErrorOf = (ctx: { body?: unknown }): OAuthErrorBody | undefined => jsonBodyOf(ctx) as OAuthErrorBody | undefined;

/** Renames the error code of a provider error response in place (its description stays). */
export function renameError(ctx: Ctx, error: string): void {
  const body = oauthErrorOf(ctx);
  if (body) body.error = error;
}

/** Replaces the provider's response with Gatehouse's own. */
export function replaceResponse(ctx: Ctx, status: number, body: Record<string, unknown>): void {
  ctx.status = status;
  ctx.body = body;
}

/**
 * The introspection endpoint refused a token it does not store itself (a JWT
 * access token) with 400 unsupported_token_type, after authenticating the
 * caller (ctx.oidc.client is set).
 */
export function isUnsupportedIntrospection(ctx: Ctx): boolean {
  return ctx.path === '/token/introspection' && ctx.status === 400
    && oauthErrorOf(ctx)?.error === 'unsupported_token_type' && Boolean(ctx.oidc?.client);
}

/** The token parameter of the request the provider parsed. */
export const tokenParameter = (ctx: Ctx): string => String(ctx.oidc.params?.token ?? '');

/**
 * A Content-Security-Policy without the script hashes the provider appends to
 * a policy already set on the response (for its one inline auto-submit
 * script: form_post, the device flow's verification_uri_complete).
 */
export const withoutProviderScriptHashes = (policy: string): string => policy.replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '');

const SAMESITE_NONE = /;\s*samesite=none/i;

/** Cookies the provider set with SameSite=None are re-set as SameSite=Lax. */
export function downgradeSameSiteNone(ctx: Ctx): void {
  const header = ctx.response.get('set-cookie') as string | string[] | undefined;
  if (!header || header.length === 0) return;
  ctx.set('set-cookie', (Array.isArray(header) ? header : [header]).map((c) => c.replace(SAMESITE_NONE, '; samesite=lax')));
}

// --- Client model -------------------------------------------------------------

/** Checks client metadata with the provider's own rules; rejects with its error. */
export async function validateClientMetadata(provider: Provider, metadata: Record<string, unknown>): Promise<void> {
  await provider.Client.validate(metadata as never);
}

export type SecretMethod = 'client_secret_post' | 'client_secret_basic';

/** The method the current request used: the body's client_secret, else the Basic header. */
function usedSecretMethod(): SecretMethod | undefined {
  const ctx = Provider.ctx;
  if (!ctx) return undefined;
  if (ctx.oidc?.params?.client_secret) return 'client_secret_post';
  return ctx.get('authorization') ? 'client_secret_basic' : undefined;
}

type Compare = (this: { clientAuthMethod: string }, secret: string) => Promise<boolean> | boolean;

/**
 * Runs `check(registered, used)` before the provider's constant-time secret
 * comparison, the one step that runs for exactly client_secret_basic and
 * client_secret_post once the client is known. An error thrown by `check`
 * becomes the provider's response (401 invalid_client for InvalidClientAuth).
 */
export function beforeSecretComparison(provider: Provider, check: (registered: string, used: SecretMethod | undefined) => void): void {
  const proto = provider.Client.prototype as unknown as { compareClientSecret: Compare };
  const compare = proto.compareClientSecret;
  proto.compareClientSecret = async function compareClientSecret(secret) {
    check(this.clientAuthMethod, usedSecretMethod());
    return compare.call(this, secret);
  };
}

export interface BackchannelClient {
  clientId: string;
  backchannelLogoutUri?: string;
  /** Builds, signs and POSTs a logout token (Back-Channel Logout 1.0 §2.4). */
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/** The client with its (untyped) backchannelLogout method, or undefined. */
export async function backchannelClient(provider: Provider, clientId: string): Promise<BackchannelClient | undefined> {
  return (await provider.Client.find(clientId).catch(() => undefined)) as unknown as BackchannelClient | undefined;
}

// --- Authorization request internals ------------------------------------------


function scopeOfRequestObject(jwt: unknown): unknown {
  if (typeof jwt !== 'string') return undefined;
  try {
    return decodeJwt(jwt).scope;
  } catch {
    return undefined; // not a JWT: the provider has already refused it
  }
}

/**
 * The scope as the client sent it, before the provider's scope check dropped
 * anything: the query or form body, or the pushed request (RFC 9126) that
 * request_uri names, stored as an unsigned request object.
 */
export function requestedScope(ctx: Ctx): string[] {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest as { request?: string } | undefined;
  if (pushed?.request) return spaceList(scopeOfRequestObject(pushed.request));
  const raw = (ctx.method === 'POST' ? ctx.oidc.body : ctx.query) as Record<string, unknown> | undefined;
  return spaceList(raw?.scope);
}

export type ScopeHook = (ctx: Ctx, scopes: string[], client: ProviderClient) => Promise<string[] | undefined>;

/**
 * A hook that runs after the provider's scope check (which drops
 * offline_access without prompt=consent) on the authorization and PAR
 * endpoints, before the grant is loaded or the interaction saved: a scope it
 * returns replaces the request's and carries through sign-in. It is the
 * `scope` validator of extraParams.
 */
export function afterScopeCheck(hook: ScopeHook): Pick<Configuration, 'extraParams'> {
  return {
    extraParams: {
      async scope(ctx: Ctx, value: string | undefined, client: ProviderClient) {
        const replaced = await hook(ctx, spaceList(value), client);
        if (replaced) ctx.oidc.params!.scope = replaced.join(' ');
      },
    },
  };
}

// --- Tokens -----------------------------------------------------------------

export interface MintedAccessToken {
  accountId: string;
  client: ProviderClient;
  grantId: string | undefined;
  scope: string;
  gty: string;
  /** The resource indicator and its resource server info (token-config.ts). */
  resource: string;
  resourceInfo: Record<string, unknown>;
  /** RFC 8693 §4.1 actor chain, emitted as `act` by extraTokenClaims. */
  act: unknown;
}

/** Issues an access token for one resource server outside the provider's own grants; returns its value. */
export async function mintAccessToken(provider: Provider, t: MintedAccessToken): Promise<string> {
  const at = new provider.AccessToken({ accountId: t.accountId, client: t.client, grantId: t.grantId as string, scope: t.scope, gty: t.gty });
  at.resourceServer = new provider.ResourceServer(t.resource, t.resourceInfo as never);
  (at as unknown as { exchangeAct?: unknown }).exchangeAct = t.act;
  return at.save();
}

/** The actor chain mintAccessToken put on a token (an ad-hoc property, not persisted). */
export const actOf = (token: object): unknown => (token as { exchangeAct?: unknown }).exchangeAct;

// --- Device flow pages ----------------------------------------------------------

/**
 * The provider's user-code form with its inline handler removed (the CSP,
 * src/http/security-headers.ts, refuses it) and `attributes` added to the
 * user_code input.
 */
export function adjustUserCodeInput(form: string, attributes: string): string {
  return form.replace(/\s*onfocus="[^"]*"/, '').replace('name="user_code"', `${attributes} name="user_code"`);
}

const DEVICE_ERRORS = {
  NoCodeError: 'no-code', NotFoundError: 'not-found', ExpiredError: 'expired', AlreadyUsedError: 'already-used', AbortedError: 'aborted',
} as const;
export type DeviceCodeError = (typeof DEVICE_ERRORS)[keyof typeof DEVICE_ERRORS] | 'other';

/** Which failure the provider reports to userCodeInputSource (by its error class name). */
export const deviceCodeError = (err: Error): DeviceCodeError =>
  (DEVICE_ERRORS as Record<string, DeviceCodeError>)[err.name] ?? 'other';

// --- Outbound requests --------------------------------------------------------

/**
 * The provider's fetch passes its own dispatcher, which refuses special-use
 * (private, loopback) addresses; dropping it opts out of that refusal.
 */
export function allowPrivateNetworks(options: object | undefined): void {
  if (!options) return;
  delete (options as { dispatcher?: unknown }).dispatcher;
}
