// The token request of Gatehouse's own clients (code-flow.ts). Sent to this
// very server over the connection's local address rather than the public ISSUER
// URL, which may not be reachable from inside the deployment (TLS-terminating
// proxy, split DNS). Client authentication is client_secret_basic (RFC 6749 §2.3.1).
import type { Context } from 'koa';
import { DomainError } from '../errors/domain-error.js';

/** A sign-in that cannot complete; its message is shown to the user. */
export const loginFailed = (message: string) => new DomainError(400, 'login_failed', message);
export const isLoginFailed = (err: unknown): err is DomainError => err instanceof DomainError && err.error === 'login_failed';

export interface CodeRedemption {
  code: string;
  verifier: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
}

function localOrigin(ctx: Context): string {
  const { localAddress, localPort } = ctx.req.socket;
  if (!localAddress || !localPort) throw loginFailed('Sign-in is unavailable on this connection.');
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}`;
}

/** Returns the ID token of a successful token response (RFC 6749 §4.1.3). */
export async function redeemCode(ctx: Context, r: CodeRedemption): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(r.clientId)}:${encodeURIComponent(r.clientSecret)}`).toString('base64');
  const res = await fetch(`${localOrigin(ctx)}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: r.code, redirect_uri: r.redirectUri, code_verifier: r.verifier }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string };
  if (!res.ok || typeof body.id_token !== 'string') throw loginFailed(`Sign-in failed (${body.error ?? res.status}).`);
  return body.id_token;
}
