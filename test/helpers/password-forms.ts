// Drives the password pages by HTTP (no browser): keeps the cookies of one
// "browser", reads each form's CSRF token, posts forms. For the reset flow's
// integration tests (test/integration/password/).
export class PasswordForms {
  private jar = new Map<string, string>();
  constructor(private issuer: string, public headers: Record<string, string> = {}) {}

  private get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '') this.jar.delete(pair.slice(0, i));
      else this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  async get(path: string) {
    const res = await fetch(new URL(path, this.issuer), { headers: { ...this.headers, cookie: this.cookie }, redirect: 'manual' });
    this.keep(res);
    const html = await res.text();
    return { status: res.status, html, csrf: csrfOf(html), headers: res.headers };
  }

  async post(path: string, fields: Record<string, string>) {
    const res = await fetch(new URL(path, this.issuer), {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
      headers: { ...this.headers, cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.keep(res);
    const html = await res.text();
    return { status: res.status, html, csrf: csrfOf(html), headers: res.headers };
  }

  /** Opens the forgot form and submits an address. */
  async forgot(email: string) {
    const form = await this.get('/password/forgot');
    return this.post('/password/forgot', { _csrf: form.csrf, email });
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** The page without its CSRF token, to compare two responses. */
export const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
/** The reset link in a mail's text part. */
export const linkIn = (text: string) => /(http:\/\/\S+\/password\/reset\?token=\S+)/.exec(text)?.[1] ?? '';
