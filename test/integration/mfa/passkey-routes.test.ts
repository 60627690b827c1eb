// The passkey endpoints over HTTP (src/mfa/passkey-routes.ts,
// passkey-step-routes.ts): the CSRF header, the ticket cookie's scope, the
// JSON error shape, the steps each endpoint belongs to, and the vendored
// browser bundle. The ceremonies themselves need an authenticator: see
// test/e2e/mfa-passkeys.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';

const REDIRECT = 'https://rp.example/cb';

describe('passkey endpoints', () => {
  const server = useServer({ backend: 'embedded', issuerHost: 'localhost' });
  let clientId: string;

  /** A login page: its uid, CSRF token, the passkey block's endpoints, and a way to post JSON with the walker's cookies. */
  async function loginPage() {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    const page = await w.start();
    const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(page.html)?.[1];
    const uid = /\/interaction\/([\w-]+)\/login/.exec(page.html)![1]!;
    const post = async (path: string, body: unknown, csrf: string | null = attr('data-csrf')!) => {
      const res = await fetch(new URL(path, server.issuer), {
        method: 'POST', redirect: 'manual',
        headers: { cookie: w.jar.header(), 'content-type': 'application/json', accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        body: JSON.stringify(body),
      });
      w.jar.store(res);
      return { res, json: (await res.json()) as Record<string, unknown> };
    };
    return { w, page, uid, attr, post };
  }

  beforeAll(async () => {
    clientId = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
  });

  it('offers passkeys on the login page with the endpoints and the token in data attributes', async () => {
    const { page, uid, attr } = await loginPage();
    expect(attr('data-options')).toBe(`/interaction/${uid}/passkey/login/options`);
    expect(attr('data-verify')).toBe(`/interaction/${uid}/passkey/login/verify`);
    expect(page.html).toContain('autocomplete="username webauthn"');
    expect(page.html).not.toMatch(/<script>/);
  });

  it('needs the CSRF header, and keeps the challenge in a sealed cookie scoped to the interaction', async () => {
    const { uid, post } = await loginPage();
    const without = await post(`/interaction/${uid}/passkey/login/options`, {}, null);
    expect(without.res.status).toBe(403);
    expect(without.json.error).toBe('invalid_request');
    const wrong = await post(`/interaction/${uid}/passkey/login/options`, {}, 'not-the-token');
    expect(wrong.res.status).toBe(403);

    const ok = await post(`/interaction/${uid}/passkey/login/options`, {});
    expect(ok.res.status).toBe(200);
    expect(ok.res.headers.get('cache-control')).toBe('no-store');
    expect(ok.json).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    const cookie = ok.res.headers.getSetCookie().find((c) => c.startsWith('gatehouse.passkey='))!;
    expect(cookie).toMatch(new RegExp(`path=/interaction/${uid}/passkey;`, 'i'));
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=strict/i);
    expect(cookie).not.toContain(String(ok.json.challenge));
  });

  it('answers refusals as JSON errors people can read', async () => {
    const { uid, post } = await loginPage();
    const garbage = await post(`/interaction/${uid}/passkey/login/verify`, { nope: true });
    expect(garbage.res.status).toBe(400);
    expect(garbage.json.error_description).toMatch(/could not be verified/);
    const noTicket = await post(`/interaction/${uid}/passkey/login/verify`, { response: { id: 'eA', response: {} } });
    expect(noTicket.json.error_description).toMatch(/expired/);
    await post(`/interaction/${uid}/passkey/login/options`, {});
    const unknown = await post(`/interaction/${uid}/passkey/login/verify`, { response: { id: 'bm8tc3VjaC1rZXk', response: {} } });
    expect(unknown.res.status).toBe(400);
    expect(unknown.json.error_description).toMatch(/not registered here/);
    const otherUid = await post('/interaction/not-this-one/passkey/login/options', {});
    expect(otherUid.res.status).toBe(400);
  });

  it('answers malformed credentials without a server error', async () => {
    const { uid, post } = await loginPage();
    const nasty: unknown[] = ['', null, 0, [], 'a'.repeat(5000), '\u0000', { clientDataJSON: '%%%' }, { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: '' }];
    for (const inner of nasty) {
      for (const body of [{ response: inner }, { response: { id: 'eA', response: inner } }, { response: { id: 'eA', rawId: inner, type: inner, response: { userHandle: inner } } }]) {
        await post(`/interaction/${uid}/passkey/login/options`, {});
        const r = await post(`/interaction/${uid}/passkey/login/verify`, body);
        expect(r.res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
        expect(typeof r.json.error_description).toBe('string');
      }
    }
  });

  it('keeps the second-factor and registration endpoints to a pending second step', async () => {
    const { uid, post } = await loginPage();
    for (const path of ['second-factor/options', 'register/options']) {
      const r = await post(`/interaction/${uid}/passkey/${path}`, {});
      expect(r.res.status).toBe(400);
      expect(r.json.error_description).toMatch(/expired/);
    }
  });

  it('serves the WebAuthn browser bundle from the installed package, under the same CSP', async () => {
    const res = await fetch(`${server.issuer}/static/vendor/simplewebauthn/index.umd.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('SimpleWebAuthnBrowser');
    expect((await fetch(`${server.issuer}/static/js/passkey.js`)).status).toBe(200);
  });
});
