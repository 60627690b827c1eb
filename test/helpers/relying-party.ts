// A relying party built on openid-client: builds authorization URLs with PKCE,
// state and nonce, and redeems the callback URL the browser was sent to.
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';

/** The relying party's own web server: answers its redirect URIs with 200. */
export async function startCallbackServer(): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('rp callback');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Rp {
  config: oidc.Configuration;
  clientId: string;
  redirectUri: string;
  start(extra?: Record<string, string>): Promise<{ url: URL; redeem(callback: string): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> }>;
}

export async function createRp(issuer: string, clientId: string, clientSecret: string | undefined, redirectUri: string): Promise<Rp> {
  // Gatehouse clients default to client_secret_basic and are held to their
  // registered method; openid-client would otherwise send client_secret_post.
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), {
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
