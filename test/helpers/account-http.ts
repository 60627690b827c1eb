// A cookie-keeping HTTP "browser" for the account pages (no redirects
// followed), and visit(): follow redirects from a page, filling in the login
// form when it appears. For tests of the account pages over plain HTTP.
import { Jar } from './http-login.js';
import type { TestServer } from './server.js';

export type Who = { email: string; password: string };
export type Page = { status: number; url: URL; html: string; location: string | null };
export type HttpBrowser = { jar: Jar; get(path: string): Promise<Page>; post(path: string, form: Record<string, string>): Promise<Response> };

export function httpBrowser(server: Pick<TestServer, 'issuer'>): HttpBrowser {
  const jar = new Jar();
  const request = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as object), cookie: jar.header() } });
    jar.store(res);
    return res;
  };
  return {
    jar,
    async get(path) {
      const url = new URL(path, server.issuer);
      const res = await request(url);
      return { status: res.status, url, html: await res.text(), location: res.headers.get('location') };
    },
    post: (path, form) => request(new URL(path, server.issuer), {
      method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  };
}

/** Follows redirects from `path`, signing in with `who` when the login form shows; returns the page it ends on. */
export async function visit(b: HttpBrowser, path: string, who?: Who): Promise<Page & { logins: number }> {
  let next = path;
  let logins = 0;
  for (let hop = 0; hop < 20; hop++) {
    const page = await b.get(next);
    if (page.location) {
      next = new URL(page.location, page.url).href;
      continue;
    }
    const action = /<form[^>]*action="([^"]*\/login)"/.exec(page.html);
    if (!action) return { ...page, logins };
    if (!who) throw new Error('login form shown, no credentials given');
    logins += 1;
    const res = await b.post(new URL(action[1]!, page.url).href, { _csrf: csrfOf(page.html), email: who.email, password: who.password });
    next = new URL(res.headers.get('location')!, page.url).href;
  }
  throw new Error('too many redirects');
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
