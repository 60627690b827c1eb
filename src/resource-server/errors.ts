// RFC 6750 §3 errors for resource servers: a challenge in WWW-Authenticate
// and the HTTP status the RFC assigns to each error code.
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';

export class BearerError extends Error {
  readonly status: number;
  constructor(
    readonly code: BearerErrorCode | null,
    readonly description: string,
    readonly scheme: 'Bearer' | 'DPoP' = 'Bearer',
    readonly scope?: string,
  ) {
    super(description);
    this.status = code === 'insufficient_scope' ? 403 : code === 'invalid_request' ? 400 : 401;
  }

  /** The WWW-Authenticate value (RFC 6750 §3, RFC 9449 §7.1). */
  challenge(realm: string): string {
    const q = (v: string) => `"${v.replace(/[\\"]/g, '')}"`;
    const parts = [`realm=${q(realm)}`];
    if (this.code) parts.push(`error=${q(this.code)}`, `error_description=${q(this.description)}`);
    if (this.scope) parts.push(`scope=${q(this.scope)}`);
    if (this.scheme === 'DPoP') parts.push('algs="ES256 RS256 PS256 EdDSA"');
    return `${this.scheme} ${parts.join(', ')}`;
  }
}
