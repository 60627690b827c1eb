// Sender-constraint checks for access tokens carrying `cnf`:
// DPoP (RFC 9449 §4.3, §7) and certificate binding (RFC 8705 §3).
import { createHash, X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { BearerError } from './errors.js';

export interface ProofContext {
  method: string;
  /** The request URL as the client addressed it (scheme, host, path; no query). */
  url: string;
  dpop?: string | undefined;
  /** PEM of the TLS client certificate, if any. */
  clientCertificate?: string | undefined;
}

const b64sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('base64url');
const MAX_PROOF_AGE_S = 300;

export async function checkDpop(token: string, jkt: string, req: ProofContext, seen: Set<string>): Promise<void> {
  if (!req.dpop) throw new BearerError('invalid_token', 'DPoP proof required for this token', 'DPoP');
  try {
    const header = decodeProtectedHeader(req.dpop);
    if (header.typ !== 'dpop+jwt' || !header.jwk) throw new Error('not a DPoP proof');
    const jwk = header.jwk as JWK;
    const { payload } = await jwtVerify(req.dpop, await importJWK(jwk, header.alg), { typ: 'dpop+jwt', maxTokenAge: MAX_PROOF_AGE_S });
    if (payload.htm !== req.method || String(payload.htu).split('?')[0] !== req.url.split('?')[0]) throw new Error('htm/htu mismatch');
    if (payload.ath !== b64sha256(token)) throw new Error('ath mismatch');
    if ((await calculateJwkThumbprint(jwk)) !== jkt) throw new Error('key does not match the token');
    const jti = String(payload.jti ?? '');
    if (!jti || seen.has(jti)) throw new Error('proof replayed');
    seen.add(jti); // bounded by the caller's cache
  } catch (err) {
    throw new BearerError('invalid_dpop_proof', (err as Error).message, 'DPoP');
  }
}

export function checkCertificate(x5t: string, req: ProofContext): void {
  if (!req.clientCertificate) throw new BearerError('invalid_token', 'client certificate required for this token');
  const thumb = b64sha256(new X509Certificate(req.clientCertificate).raw);
  if (thumb !== x5t) throw new BearerError('invalid_token', 'token is bound to a different certificate');
}
