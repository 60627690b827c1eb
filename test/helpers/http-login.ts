// Runs the authorization-code flow over plain HTTP (no browser): follows the
// redirects, posts the login and consent forms with their CSRF tokens, and
// returns the code (signIn also redeems it). For protocol tests that need
// real user tokens quickly.
import * as oauth from 'oauth4webapi';
import { exchangeCode, type TestClient } from './token-client.js';

export class Jar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
}

export interface LoginOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  email: string;
  password: string;
  scope?: string;
  extra?: Record<string, string>;
  /** Called with 'login' or 'consent' (and the page's HTML) for each page the user is shown. */
  onPage?: (page: 'login' | 'consent', html: string) => void;
  /** Rewrites each request URL (e.g. to spread a flow over several instances). */
  rewrite?: (url: URL) => URL;
  /** Cookies to start from and keep (single sign-on across calls, logout). */
  jar?: Jar;
}

export async function httpAuthorize(o: LoginOptions): Promise<{ code: string; verifier: string; callback: URL }> {
  const jar = o.jar ?? new Jar();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(`${o.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: o.clientId, response_type: 'code', redirect_uri: o.redirectUri, scope: o.scope ?? 'openid',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...o.extra,
  }).toString();
  let next: URL = url;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(o.rewrite ? o.rewrite(next) : next, {
      method: body ? 'POST' : 'GET', redirect: 'manual', body,
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    jar.store(res);
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      next = new URL(location, next);
      if (next.href.startsWith(o.redirectUri)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`authorization failed: ${next.searchParams.get('error')}`);
        return { code, verifier, callback: next };
      }
      continue;
    }
    const html = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]*\/(?:login|confirm))"/.exec(html)?.[1];
    if (!csrf || !action) throw new Error(`unexpected page (${res.status}): ${html.slice(0, 200)}`);
    next = new URL(action.replace(/&amp;/g, '&'), next);
    o.onPage?.(action.endsWith('/login') ? 'login' : 'consent', html);
    body = action.endsWith('/login')
      ? new URLSearchParams({ _csrf: csrf, email: o.email, password: o.password })
      : new URLSearchParams({ _csrf: csrf });
  }
  throw new Error('too many redirects');
}

/** The whole authorization-code flow for `client`: sign in over HTTP and redeem the code (oauth4webapi). */
export async function signIn(o: Omit<LoginOptions, 'clientId'> & { client: TestClient }) {
  const { callback, verifier } = await httpAuthorize({ ...o, clientId: o.client.clientId });
  return (await exchangeCode(o.issuer, o.client, o.redirectUri, callback, verifier)).result;
}
