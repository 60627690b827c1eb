// Verifies JWTs Gatehouse itself signed, in-process, with the public halves of
// its signing keys: RFC 9068 access tokens for the admin API and the ID
// tokens of Gatehouse's own clients (admin console, account pages: code-flow.ts).
// Nothing here trusts a token's own header beyond `kid`.
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { publicJwks, type PrivateJwk } from '../keys/key-store.js';

const ALGORITHMS = ['RS256', 'ES256'];

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

export function createTokenVerifier(issuer: string, jwks: PrivateJwk[]) {
  const keys = createLocalJWKSet({ keys: publicJwks(jwks) });
  return {
    /** RFC 9068 §4: typ at+jwt, iss, aud, exp, signature with the issuer's keys. */
    async accessToken(token: string, audience: string): Promise<JWTPayload & { client_id: string; scope?: string }> {
      const { payload } = await jwtVerify(token, keys, {
        issuer, audience, typ: 'at+jwt', algorithms: ALGORITHMS, requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
      });
      return payload as JWTPayload & { client_id: string; scope?: string };
    },
    /** OpenID Connect Core §3.1.3.7 (nonce checked by the caller). */
    async idToken(token: string, audience: string): Promise<JWTPayload & { nonce?: string }> {
      const { payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ALGORITHMS, requiredClaims: ['exp', 'iat', 'sub'] });
      return payload;
    },
  };
}
