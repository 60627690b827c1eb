// Token values at rest (docs/security.md, "Tokens at rest"). oidc-provider
// keys every object by its value (an opaque access token, a refresh token, a
// code, the session cookie value), so a read-only dump of oidc_objects would
// be a set of working credentials. The adapter therefore stores each object
// under a keyed hash of its id (HMAC-SHA256 under a key derived from the
// master secret; without the secret the stored id cannot be turned back into
// a value, nor can a guessed value be checked), and seals the payload fields
// that hold a value accepted as a credential (the `jti` is the token itself;
// an Interaction carries the device code, the PAR id, the session cookie, and
// its own id in returnTo).
// Lookups by value hash first; lookups by uid or grant id stay as they are.
import { createHmac } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import { createSecretBox, deriveKey } from '../crypto/secret-box.js';

export interface TokensAtRest {
  /** The stored id of an object of `model` whose id (value) is `id`. */
  storedId(model: string, id: string): string;
  /** The stored form of a device flow user code (user_code column). */
  storedUserCode(userCode: string): string;
  /** The payload as stored: credential-valued fields sealed. */
  seal(payload: AdapterPayload): AdapterPayload;
  /** The payload as oidc-provider wrote it. */
  open(payload: AdapterPayload): AdapterPayload;
}

/**
 * Grants are not credentials (no endpoint accepts a grant id) and other rows
 * refer to them by id (grant_id column, Session authorizations), so their ids
 * stay in clear; every other model is keyed by the hash.
 */
const CLEAR_ID_MODELS = new Set(['Grant']);

const SEALED = '_sealed';

type Secrets = { jti?: unknown; userCode?: unknown; deviceCode?: unknown; parJti?: unknown; returnTo?: unknown; sessionCookie?: unknown };

export function createTokensAtRest(masterSecret: string): TokensAtRest {
  const key = Buffer.from(deriveKey(masterSecret, 'token-ids'), 'base64url');
  const box = createSecretBox(masterSecret, 'token-payloads');
  const hmac = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest('base64url');
  return {
    storedId: (model, id) => (CLEAR_ID_MODELS.has(model) ? id : hmac(`${model}:${id}`)),
    storedUserCode: (userCode) => hmac(`UserCode:${userCode}`),
    seal(payload) {
      const { jti, userCode, deviceCode, parJti, returnTo, ...rest } = payload as AdapterPayload & Secrets;
      const secrets: Secrets = { jti, userCode, deviceCode, parJti, returnTo };
      const session = rest.session as { cookie?: unknown } | undefined;
      if (session && typeof session === 'object' && 'cookie' in session) {
        const { cookie, ...clearSession } = session;
        secrets.sessionCookie = cookie;
        rest.session = clearSession as AdapterPayload['session'];
      }
      const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined));
      return Object.keys(present).length ? { ...rest, [SEALED]: box.seal(JSON.stringify(present)) } : rest;
    },
    open(payload) {
      const sealed = (payload as Record<string, unknown>)[SEALED];
      if (typeof sealed !== 'string') return payload;
      const { [SEALED]: _, ...rest } = payload as Record<string, unknown>;
      const { sessionCookie, ...secrets } = JSON.parse(box.open(sealed)) as Secrets;
      const out: Record<string, unknown> = { ...rest, ...secrets };
      if (sessionCookie !== undefined) out.session = { ...(rest.session as object), cookie: sessionCookie };
      return out as AdapterPayload;
    },
  };
}
