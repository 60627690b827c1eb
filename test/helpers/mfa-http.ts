// A cookie-keeping HTTP walker for the sign-in pages (no browser): starts an
// authorization request, posts forms with their CSRF token, follows
// redirects until a page or the client's redirect_uri. For the throttling
// and replay tests of the second step (src/mfa/).
import * as oauth from 'oauth4webapi';
import { Jar } from './http-login.js';

export interface Step {
  status: number;
  retryAfter: string | null;
  url: URL;
  html: string;
  /** The first role=alert text, if any. */
  alert: string | null;
  /** Set when the walk reached the client's redirect_uri. */
  callback: URL | null;
}

export class SignInWalker {
  verifier = '';
  last: Step | null = null;
  /** `jar`: another walker's cookies, to continue its SSO session with another client. */
  constructor(private issuer: string, private clientId: string, private redirectUri: string, readonly jar = new Jar()) {}

  async start(extra: Record<string, string> = {}): Promise<Step> {
    this.verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${this.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: this.clientId, response_type: 'code', scope: 'openid', redirect_uri: this.redirectUri,
      code_challenge: await oauth.calculatePKCECodeChallenge(this.verifier), code_challenge_method: 'S256', ...extra,
    }).toString();
    return this.walk(url);
  }

  /** Opens a page (e.g. a Location this walker was sent to) with the walker's cookies. */
  open(url: string): Promise<Step> {
    return this.walk(new URL(url, this.issuer));
  }

  /** Posts the form whose action ends with `actionSuffix` on the last page. */
  async submit(actionSuffix: string, fields: Record<string, string>): Promise<Step> {
    const html = this.last?.html ?? '';
    const action = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => m[1]!).find((a) => a.endsWith(actionSuffix));
    if (!action) throw new Error(`no form ending in ${actionSuffix} on ${this.last?.url.href}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return this.walk(new URL(action, this.issuer), new URLSearchParams({ _csrf: csrf, ...fields }));
  }

  private async walk(start: URL, firstBody?: URLSearchParams): Promise<Step> {
    let next = start;
    let body = firstBody;
    for (let hop = 0; hop < 20; hop++) {
      const res = await fetch(next, {
        method: body ? 'POST' : 'GET', redirect: 'manual', body,
        headers: { cookie: this.jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      });
      this.jar.store(res);
      body = undefined;
      const location = res.headers.get('location');
      if (location && res.status >= 300 && res.status < 400) {
        next = new URL(location, next);
        if (next.href.startsWith(this.redirectUri)) return this.done({ status: res.status, retryAfter: null, url: next, html: '', alert: null, callback: next });
        continue;
      }
      const html = await res.text();
      const alert = /role="alert"[^>]*>\s*<p>([^<]*)<\/p>/.exec(html)?.[1]?.trim() ?? null;
      return this.done({ status: res.status, retryAfter: res.headers.get('retry-after'), url: next, html, alert, callback: null });
    }
    throw new Error('too many redirects');
  }

  private done(step: Step): Step {
    this.last = step;
    return step;
  }
}
