// Drives the login page by hand (for lockout tests): start an authorization
// request, then post the form as often as the test wants.
import * as oauth from 'oauth4webapi';

export class LoginForm {
  private cookies = '';
  private action = '';
  private csrf = '';
  constructor(private issuer: string, private clientId: string, private redirectUri: string) {}

  async open(): Promise<void> {
    const url = new URL(`${this.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: this.clientId, response_type: 'code', scope: 'openid', redirect_uri: this.redirectUri,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    this.cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await fetch(new URL(res.headers.get('location')!, this.issuer), { headers: { cookie: this.cookies } });
    this.read(await page.text());
  }

  private read(html: string): void {
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    this.action = /<form[^>]*action="([^"]*\/login)"/.exec(html)?.[1] ?? this.action;
  }

  /** Posts the form; returns the status, Retry-After, alert text and redirect. */
  async submit(email: string, password: string) {
    const res = await fetch(new URL(this.action, this.issuer), {
      method: 'POST', redirect: 'manual',
      headers: { cookie: this.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, email, password }),
    });
    const html = await res.text();
    this.read(html);
    const alert = /role="alert"[^>]*>\s*<p>([^<]*)<\/p>/.exec(html)?.[1]?.trim() ?? null;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), alert, location: res.headers.get('location') };
  }
}
