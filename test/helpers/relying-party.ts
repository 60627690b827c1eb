// A relying party built on openid-client: builds authorization URLs with PKCE,
// state and nonce, and redeems the callback URL the browser was sent to.
import * as oidc from 'openid-client';

export const CALLBACK_BASE = 'http://rp.test';

export interface Rp {
  config: oidc.Configuration;
  clientId: string;
  redirectUri: string;
  start(extra?: Record<string, string>): Promise<{ url: URL; redeem(callback: string): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> }>;
}

export async function createRp(issuer: string, clientId: string, clientSecret: string | undefined, redirectUri: string): Promise<Rp> {
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, clientSecret ? undefined : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  return {
    config, clientId, redirectUri,
    async start(extra = {}) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: 'openid profile email', state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
      });
      return {
        url,
        redeem: (callback) =>
          oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
      };
    },
  };
}
