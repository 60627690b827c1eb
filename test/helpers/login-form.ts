// Drives the login page by hand (for lockout tests): start an authorization
// request, then post the form as often as the test wants.
import * as oauth from 'oauth4webapi';

export class LoginForm {
  private jar = new Map<string, string>();
  private action = '';
  private csrf = '';
  /** Extra request headers on every request (e.g. X-Forwarded-For as a proxy would send it). */
  headers: Record<string, string> = {};
  constructor(private issuer: string, private clientId: string, private redirectUri: string) {}

  async open(): Promise<void> {
    const url = new URL(`${this.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: this.clientId, response_type: 'code', scope: 'openid', redirect_uri: this.redirectUri,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(url, { redirect: 'manual', headers: { ...this.headers, cookie: this.cookies } });
    this.store(res);
    const page = await fetch(new URL(res.headers.get('location')!, this.issuer), { headers: { ...this.headers, cookie: this.cookies } });
    this.read(await page.text());
  }

  private get cookies(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '') this.jar.delete(pair.slice(0, i));
      else this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  /** The device cookie (and its signature) this browser was given, to carry into another form. */
  deviceCookies(): Map<string, string> {
    return new Map([...this.jar].filter(([k]) => k.startsWith('gatehouse.device')));
  }

  /** Starts this browser with the given cookies (e.g. a device cookie from an earlier sign-in). */
  withCookies(cookies: Map<string, string>): this {
    for (const [k, v] of cookies) this.jar.set(k, v);
    return this;
  }

  private read(html: string): void {
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    this.action = /<form[^>]*action="([^"]*\/login)"/.exec(html)?.[1] ?? this.action;
  }

  /** Posts the form; returns the status, Retry-After, alert text and redirect. */
  async submit(email: string, password: string) {
    const res = await fetch(new URL(this.action, this.issuer), {
      method: 'POST', redirect: 'manual',
      headers: { ...this.headers, cookie: this.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, email, password }),
    });
    this.store(res);
    const html = await res.text();
    this.read(html);
    const alert = /role="alert"[^>]*>\s*<p>([^<]*)<\/p>/.exec(html)?.[1]?.trim() ?? null;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), alert, location: res.headers.get('location') };
  }
}
