// Console sign-in: the console is a first-party OIDC client of Gatehouse
// itself (authorization code + PKCE, RFC 7636), so admins sign in on the same
// login page as everyone else, with the same checks (disabled users, max_age,
// SSO). The callback redeems the code at the token endpoint and verifies the
// ID token (signature, iss, aud, nonce: OpenID Connect Core §3.1.3.7).
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { TokenVerifier } from '../token-verifier.js';
import { CONSOLE_CLIENT_ID, consoleUrls } from '../admin-setup.js';
import { CONSOLE_MAX_AGE, type ConsoleSessions } from './console-session.js';
import { isLoginFailed, loginFailed, redeemCode } from './token-request.js';

export { isLoginFailed };

export interface ConsoleLoginDeps {
  issuer: string;
  clientSecret: string;
  sessions: ConsoleSessions;
  verifier: TokenVerifier;
}

const random = () => randomBytes(32).toString('base64url');

/** Only console paths: never an open redirect. */
export const safeReturnTo = (value: unknown) =>
  typeof value === 'string' && /^\/admin(\/[\w\-./?=&%+,]*)?$/.test(value) && !/\/\/|\.\./.test(value) ? value : '/admin';

export function startLogin(deps: ConsoleLoginDeps, ctx: Context, returnTo: string): void {
  const pending = { state: random(), nonce: random(), verifier: random(), returnTo: safeReturnTo(returnTo) };
  deps.sessions.savePending(ctx, pending);
  const url = new URL(`${deps.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: consoleUrls(deps.issuer).callback,
    state: pending.state, nonce: pending.nonce, max_age: String(CONSOLE_MAX_AGE),
    code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  ctx.redirect(url.href);
}

/** Finishes the flow; returns the signed-in account id and where to go next. */
export async function finishLogin(deps: ConsoleLoginDeps, ctx: Context): Promise<{ sub: string; returnTo: string }> {
  const pending = deps.sessions.takePending(ctx);
  const { code, state, error } = ctx.query;
  if (!pending || typeof state !== 'string' || state !== pending.state) throw loginFailed('This sign-in has expired. Please try again.');
  if (typeof error === 'string') throw loginFailed(error === 'access_denied' ? 'Sign-in was cancelled.' : `Sign-in failed (${error}).`);
  if (typeof code !== 'string') throw loginFailed('The sign-in response had no code.');
  const idToken = await redeemCode(ctx, {
    code, verifier: pending.verifier, redirectUri: consoleUrls(deps.issuer).callback,
    clientId: CONSOLE_CLIENT_ID, clientSecret: deps.clientSecret,
  });
  const claims = await deps.verifier.idToken(idToken, CONSOLE_CLIENT_ID);
  if (claims.nonce !== pending.nonce) throw loginFailed('This sign-in could not be verified. Please try again.');
  return { sub: String(claims.sub), returnTo: pending.returnTo };
}
