// CSRF tokens for interaction forms: an HMAC of the interaction uid under a
// server key. A page from another origin cannot read it, and the interaction
// itself is bound to this browser by oidc-provider's interaction cookie.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Csrf {
  token(uid: string): string;
  verify(uid: string, token: unknown): boolean;
}

export function createCsrf(key: string): Csrf {
  const token = (uid: string) => createHmac('sha256', key).update(`csrf:${uid}`).digest('base64url');
  return {
    token,
    verify(uid, given) {
      if (typeof given !== 'string') return false;
      const expected = Buffer.from(token(uid));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
