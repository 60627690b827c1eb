// Sign-in for Gatehouse's own clients (admin console, account pages): each is
// a first-party OIDC client of Gatehouse itself (authorization code + PKCE,
// RFC 7636), so people sign in on the same login page as everyone else, with
// the same checks (disabled users, max_age, SSO, second factors). The callback
// redeems the code at the token endpoint and verifies the ID token
// (signature, iss, aud, nonce: OpenID Connect Core §3.1.3.7).
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { TokenVerifier } from './token-verifier.js';
import type { SealedSessions } from './sealed-session.js';
import { loginFailed, redeemCode } from './token-request.js';

export { isLoginFailed, loginFailed } from './token-request.js';

/**
 * The return path after sign-in, kept under the client's own `root` (e.g.
 * /admin, /account): never an open redirect, never `//` or `..`; anything
 * else falls back to the root.
 */
export function safePathUnder(root: string, value: unknown): string {
  const shape = new RegExp(`^${root}(/[\\w\\-./?=&%+,]*)?$`);
  return typeof value === 'string' && shape.test(value) && !/\/\/|\.\./.test(value) ? value : root;
}

export interface SelfClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  sessions: Pick<SealedSessions, 'savePending' | 'takePending'>;
  verifier: TokenVerifier;
}

const random = () => randomBytes(32).toString('base64url');

/**
 * Redirects to /auth. `returnTo` must already be a safe local path (the
 * caller's own check: never an open redirect). max_age makes the provider ask
 * for the password again when the last sign-in is older (OpenID Connect Core §3.1.2.1).
 */
export function startCodeFlow(client: SelfClient, ctx: Context, returnTo: string, maxAge: number): void {
  const pending = { state: random(), nonce: random(), verifier: random(), returnTo };
  client.sessions.savePending(ctx, pending);
  const url = new URL(`${client.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: client.redirectUri,
    state: pending.state, nonce: pending.nonce, max_age: String(maxAge),
    code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  ctx.redirect(url.href);
}

export interface FinishedLogin {
  sub: string;
  /** auth_time of the ID token (present because max_age was sent, OpenID Connect Core §2). */
  authTime: number;
  returnTo: string;
}

/** Finishes the flow; returns the signed-in account id, when it signed in, and where to go next. */
export async function finishCodeFlow(client: SelfClient, ctx: Context): Promise<FinishedLogin> {
  const pending = client.sessions.takePending(ctx);
  const { code, state, error } = ctx.query;
  if (!pending || typeof state !== 'string' || state !== pending.state) throw loginFailed('This sign-in has expired. Please try again.');
  if (typeof error === 'string') throw loginFailed(error === 'access_denied' ? 'Sign-in was cancelled.' : `Sign-in failed (${error}).`);
  if (typeof code !== 'string') throw loginFailed('The sign-in response had no code.');
  const idToken = await redeemCode(ctx, {
    code, verifier: pending.verifier, redirectUri: client.redirectUri, clientId: client.clientId, clientSecret: client.clientSecret,
  });
  const claims = await client.verifier.idToken(idToken, client.clientId);
  if (claims.nonce !== pending.nonce) throw loginFailed('This sign-in could not be verified. Please try again.');
  const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : 0;
  return { sub: String(claims.sub), authTime, returnTo: pending.returnTo };
}
