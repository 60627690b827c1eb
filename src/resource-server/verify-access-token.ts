// Framework-free access-token validation for APIs that trust Gatehouse:
// JWT access tokens (RFC 9068) via the issuer's JWKS (cached; refetched on an
// unknown kid at most once per cooldown), opaque tokens via introspection
// (RFC 7662, cached for the token's remaining life), scopes, and DPoP /
// certificate binding when the token carries `cnf`.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { BearerError } from './errors.js';
import { checkCertificate, checkDpop, type ProofContext } from './bindings.js';

export interface VerifierOptions {
  issuer: string;
  /** This API's resource indicator: tokens must name it in `aud`. */
  audience: string;
  jwksUri?: string;
  /** Client credentials for introspecting opaque tokens (RFC 7662 §2.1). */
  introspection?: { endpoint?: string; clientId: string; clientSecret: string };
  clockToleranceSeconds?: number;
  /** Minimum seconds between JWKS refetches for unknown kids (rate limit). */
  jwksCooldownSeconds?: number;
  /**
   * Also introspect JWT access tokens instead of only checking their
   * signature: a revoked grant is then noticed before the token expires,
   * at the cost of a call per token (cached for its remaining life).
   */
  introspectJwts?: boolean;
}

export interface VerifiedToken {
  sub: string | undefined;
  clientId: string | undefined;
  scopes: string[];
  claims: JWTPayload;
  /** RFC 8693 §4.1 actor chain, outermost (current) actor first. */
  act: Record<string, unknown> | undefined;
}

export type VerifyAccessToken = (token: string, required?: string[], proof?: ProofContext, scheme?: 'Bearer' | 'DPoP') => Promise<VerifiedToken>;

const sha = (s: string) => createHash('sha256').update(s).digest('base64url');
const scopesOf = (claims: JWTPayload) => (typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []);

export function createAccessTokenVerifier(o: VerifierOptions): VerifyAccessToken {
  const issuer = o.issuer.replace(/\/$/, '');
  const jwks = createRemoteJWKSet(new URL(o.jwksUri ?? `${issuer}/jwks`), { cooldownDuration: (o.jwksCooldownSeconds ?? 30) * 1000 });
  const introspected = new Map<string, { claims: JWTPayload; until: number }>();
  const dpopJtis = new Set<string>();

  async function viaJwt(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer, audience: o.audience, typ: 'at+jwt', clockTolerance: o.clockToleranceSeconds ?? 5,
      });
      return payload;
    } catch (err) {
      const why = err instanceof joseErrors.JWTExpired ? 'token expired'
        : err instanceof joseErrors.JWTClaimValidationFailed ? `token ${err.claim} invalid`
        : err instanceof joseErrors.JWKSNoMatchingKey ? 'token signed by an unknown key'
        : 'token signature or format invalid';
      throw new BearerError('invalid_token', why);
    }
  }

  async function viaIntrospection(token: string): Promise<JWTPayload> {
    const key = sha(token);
    const hit = introspected.get(key);
    if (hit && hit.until > Date.now()) return hit.claims;
    if (!o.introspection) throw new BearerError('invalid_token', 'opaque tokens are not accepted here');
    const { clientId, clientSecret, endpoint = `${issuer}/token/introspection` } = o.introspection;
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    }).catch(() => null);
    if (!res?.ok) throw new BearerError('invalid_token', 'token could not be introspected');
    const claims = (await res.json()) as JWTPayload & { active?: boolean };
    const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    if (!claims.active) throw new BearerError('invalid_token', 'token is not active');
    if (!aud.includes(o.audience)) throw new BearerError('invalid_token', 'token aud invalid');
    if (introspected.size > 10_000) introspected.clear();
    introspected.set(key, { claims, until: (claims.exp ?? 0) * 1000 });
    return claims;
  }

  return async (token, required = [], proof, scheme = 'Bearer') => {
    const isJwt = token.split('.').length === 3;
    const claims = isJwt && !o.introspectJwts ? await viaJwt(token) : await viaIntrospection(token);
    const cnf = claims.cnf as { jkt?: string; 'x5t#S256'?: string } | undefined;
    if (cnf?.jkt) {
      if (scheme !== 'DPoP') throw new BearerError('invalid_token', 'DPoP-bound token presented as a bearer token', 'DPoP');
      if (dpopJtis.size > 50_000) dpopJtis.clear();
      await checkDpop(token, cnf.jkt, proof ?? { method: '', url: '' }, dpopJtis);
    } else if (scheme === 'DPoP') {
      throw new BearerError('invalid_token', 'token is not DPoP-bound', 'DPoP');
    }
    if (cnf?.['x5t#S256']) checkCertificate(cnf['x5t#S256'], proof ?? { method: '', url: '' });
    const scopes = scopesOf(claims);
    const missing = required.filter((s) => !scopes.includes(s));
    if (missing.length) throw new BearerError('insufficient_scope', `requires scope ${required.join(' ')}`, scheme, required.join(' '));
    return {
      sub: claims.sub, clientId: (claims.client_id as string | undefined) ?? undefined, scopes, claims,
      act: claims.act as Record<string, unknown> | undefined,
    };
  };
}

const shared = new Map<string, VerifyAccessToken>();

/**
 * One-call form: `await verifyAccessToken(token, { issuer, audience, scopes })`.
 * Verifiers (and their JWKS caches) are shared per issuer + audience.
 */
export function verifyAccessToken(token: string, o: VerifierOptions & { scopes?: string[]; proof?: ProofContext; scheme?: 'Bearer' | 'DPoP' }): Promise<VerifiedToken> {
  const key = `${o.issuer}\n${o.audience}\n${o.introspection?.clientId ?? ''}`;
  let verify = shared.get(key);
  if (!verify) shared.set(key, (verify = createAccessTokenVerifier(o)));
  return verify(token, o.scopes ?? [], o.proof, o.scheme);
}
