// One oidc-provider instance per set of signing keys. oidc-provider takes its
// JWKS at construction, so a key rotation means a new instance; everything
// that needs "the provider" (serving, validating client metadata, signing
// back-channel logout tokens, minting initial access tokens) asks this holder,
// so there is never a second, differently configured provider.
import type Provider from 'oidc-provider';
import type { PrivateJwk } from '../keys/key-store.js';

export interface CurrentProvider {
  provider: Provider;
  jwks: PrivateJwk[];
}

export interface ProviderHolder {
  /**
   * The provider for the current keys (applying due rotations), rebuilt when
   * they changed; callers that built on an earlier one compare identity.
   */
  current(): Promise<CurrentProvider>;
  get(): Promise<Provider>;
}

/** Which signing keys a provider was built with: rebuild when this changes. */
const keyFingerprint = (jwks: PrivateJwk[]) => jwks.map((k) => k.kid).join(',');

export function createProviderHolder(deps: { loadKeys: () => Promise<PrivateJwk[]>; build: (jwks: PrivateJwk[]) => Provider }): ProviderHolder {
  let built: { kids: string; provider: Provider; jwks: PrivateJwk[] } | undefined;
  // One check at a time: a notification, the timer and an admin call may ask at once.
  let queue: Promise<unknown> = Promise.resolve();
  const check = async (): Promise<CurrentProvider> => {
    const jwks = await deps.loadKeys();
    const kids = keyFingerprint(jwks);
    if (built?.kids !== kids) built = { kids, jwks, provider: deps.build(jwks) };
    return { provider: built.provider, jwks: built.jwks };
  };
  const current = () => {
    const next = queue.catch(() => undefined).then(check);
    queue = next;
    return next;
  };
  return { current, get: async () => (await current()).provider };
}
