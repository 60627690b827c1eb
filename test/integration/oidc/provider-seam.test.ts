// Pins every reliance of src/oidc/provider-seam.ts on the installed
// oidc-provider: the version it was written for, and each behaviour exercised
// against a real listening provider (test/helpers/seam-provider.ts: the bare
// library, its in-memory adapter, the seam's hooks). An upgrade that changes
// any of them fails here first; provider-seam.ts is where it is then fixed.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  backchannelClient, isGrantTypeNotAllowed, isRefreshTokenReuse, mintAccessToken, SEAM_VERSION, validateClientMetadata,
  withoutProviderScriptHashes,
} from '../../../src/oidc/provider-seam.js';
import { CSP, REDIRECT, RESOURCE, SECRET, startSeamProvider, type SeamProvider } from '../../helpers/seam-provider.js';

const basic = (id: string, secret = SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('the oidc-provider seam (src/oidc/provider-seam.ts)', () => {
  let sp: SeamProvider;
  let rp: Server;
  const logouts: string[] = [];

  /** A form POST to the provider; the status, headers and JSON body. */
  async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${sp.issuer}${path}`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const last = () => sp.seen.responses.at(-1)!;

  beforeAll(async () => {
    rp = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => { logouts.push(new URLSearchParams(body).get('logout_token') ?? ''); res.writeHead(200).end(); });
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    sp = await startSeamProvider(`http://127.0.0.1:${(rp.address() as { port: number }).port}/logout`);
  });
  afterAll(async () => {
    await sp?.close();
    await new Promise<void>((resolve) => rp?.close(() => resolve()));
  });

  it('was written for the installed oidc-provider version', async () => {
    const pkg = JSON.parse(await readFile('node_modules/oidc-provider/package.json', 'utf8')) as { version: string };
    expect(pkg.version).toBe(SEAM_VERSION);
  });

  it('recognises the invalid_request texts for a grant type the client is not registered for', async () => {
    const token = await post('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic('cc') });
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_request');
    expect(isGrantTypeNotAllowed(token.body.error_description as string)).toBe(true);
    const device = await post('/device/auth', { scope: 'openid' }, { authorization: basic('cc') });
    expect(device.status).toBe(400);
    expect(device.body.error).toBe('invalid_request');
    expect(isGrantTypeNotAllowed(device.body.error_description as string)).toBe(true);
    expect(isGrantTypeNotAllowed('client authentication failed')).toBe(false);
  });

  it('sees the error body as a plain object after next(), and a rename or replacement reaches the client', async () => {
    const raw = await post('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic('cc') });
    expect(last()).toMatchObject({ path: '/token', status: 400, error: raw.body.error, description: raw.body.error_description });
    const renamed = await post('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic('cc'), 'x-seam': 'rename' });
    expect(renamed).toMatchObject({ status: 400, body: { error: 'unauthorized_client', error_description: raw.body.error_description } });
    const replaced = await post('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic('cc'), 'x-seam': 'replace' });
    expect(replaced).toMatchObject({ status: 200, body: { replaced: true } });
  });

  it('leaves discovery and JWKS bodies unserialised after next()', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      expect((await fetch(`${sp.issuer}${path}`)).status).toBe(200);
      expect(last()).toMatchObject({ path, status: 200, json: true });
    }
  });

  it('appends the hash of its auto-submit script to a Content-Security-Policy already set, and nothing else', async () => {
    const res = await fetch(`${sp.issuer}/device?user_code=BCDF-GHJK`, { headers: { 'x-seam': 'csp' } });
    expect(res.status).toBe(200);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    // It re-serialises the directives (security-headers.ts compares them trimmed).
    expect(withoutProviderScriptHashes(policy).split(';').map((d) => d.trim()).join('; ')).toBe(CSP);
  });

  it('names a consumed refresh token "refresh token already used" in grant.error, and revokes its grant', async () => {
    const { provider } = sp;
    const grant = new provider.Grant({ accountId: 'u1', clientId: 'web' });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const client = (await provider.Client.find('web'))!;
    const rt = new provider.RefreshToken({ accountId: 'u1', client, grantId, scope: 'openid offline_access', gty: 'authorization_code' } as never);
    const value = await rt.save();
    await rt.consume();
    const res = await post('/token', { grant_type: 'refresh_token', refresh_token: value, client_id: 'web', client_secret: SECRET });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(isRefreshTokenReuse(sp.seen.grantErrors.at(-1)!)).toBe(true);
    expect(await provider.Grant.find(grantId)).toBeUndefined();
  });

  it('mints a JWT access token for a resource server with act from extraTokenClaims, which introspection refuses as unsupported', async () => {
    const { provider } = sp;
    const client = (await provider.Client.find('cc'))!;
    const act = { sub: 'service-a' };
    const jwt = await mintAccessToken(provider, {
      accountId: 'u1', client, grantId: undefined, scope: 'api:read', gty: 'urn:example:grant', resource: RESOURCE,
      resourceInfo: { scope: 'api:read', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 120 }, act,
    });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ sub: 'u1', aud: RESOURCE, scope: 'api:read', client_id: 'cc', act });
    expect(claims.exp! - claims.iat!).toBe(120);
    const res = await post('/token/introspection', { token: jwt }, { authorization: basic('cc') });
    expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_token_type' } });
    expect(last()).toMatchObject({ path: '/token/introspection', unsupportedIntrospection: true, token: jwt });
    const opaque = await post('/token/introspection', { token: 'not-a-jwt' }, { authorization: basic('cc') });
    expect(opaque).toMatchObject({ status: 200, body: { active: false } });
    expect(last().unsupportedIntrospection).toBe(false);
  });

  it('runs the secret-comparison hook with the registered and the used method; its error is 401 invalid_client', async () => {
    const ok = await post('/token', { grant_type: 'client_credentials' }, { authorization: basic('cc') });
    expect(ok.status).toBe(200);
    expect(sp.seen.secretChecks.at(-1)).toEqual({ registered: 'client_secret_basic', used: 'client_secret_basic' });
    const mismatch = await post('/token', { grant_type: 'client_credentials', client_id: 'cc', client_secret: SECRET });
    expect(mismatch).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(sp.seen.secretChecks.at(-1)).toEqual({ registered: 'client_secret_basic', used: 'client_secret_post' });
    const wrong = await post('/token', { grant_type: 'client_credentials' }, { authorization: basic('cc', 'wrong') });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('validates client metadata with Client.validate, rejecting with an error_description', async () => {
    await expect(validateClientMetadata(sp.provider, { client_id: 'ok', client_secret: SECRET, redirect_uris: ['https://rp.example/cb'] })).resolves.toBeUndefined();
    await expect(validateClientMetadata(sp.provider, { client_id: 'bad', client_secret: SECRET, redirect_uris: ['not a uri'] }))
      .rejects.toMatchObject({ error: expect.stringMatching(/^invalid_/), error_description: expect.any(String) });
  });

  describe('the scope hook after the scope check', () => {
    const auth = { client_id: 'web', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid offline_access' };
    /** The scope of the interaction the provider saved for an authorization response. */
    async function interactionScope(location: string | null) {
      const uid = /\/interaction\/([^/?]+)/.exec(location ?? '')?.[1];
      const interaction = await sp.provider.Interaction.find(uid!);
      return String(interaction?.params.scope ?? '').split(' ');
    }

    it('sees offline_access dropped without prompt=consent, the raw request scope still has it, and a restored scope is saved (GET)', async () => {
      const res = await fetch(`${sp.issuer}/auth?${new URLSearchParams(auth)}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(sp.seen.scopes.at(-1)).toEqual({ route: 'authorization', checked: ['openid'], requested: ['openid', 'offline_access'] });
      expect(await interactionScope(res.headers.get('location'))).toContain('offline_access');
    });

    it('reads the raw scope from a form POST body', async () => {
      const res = await post('/auth', auth);
      expect(res.status).toBe(303);
      expect(sp.seen.scopes.at(-1)).toMatchObject({ checked: ['openid'], requested: ['openid', 'offline_access'] });
      expect(await interactionScope(res.headers.get('location'))).toContain('offline_access');
    });

    it('runs at the PAR endpoint and reads the raw scope from the pushed request at /auth', async () => {
      const par = await post('/request', { ...auth, client_secret: SECRET });
      expect(par.status).toBe(201);
      expect(sp.seen.scopes.at(-1)).toMatchObject({ route: 'pushed_authorization_request', checked: ['openid'] });
      const res = await fetch(`${sp.issuer}/auth?${new URLSearchParams({ client_id: 'web', request_uri: String(par.body.request_uri) })}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(sp.seen.scopes.at(-1)).toMatchObject({ route: 'authorization', requested: ['openid', 'offline_access'] });
      expect(await interactionScope(res.headers.get('location'))).toContain('offline_access');
    });
  });

  it('sets SameSite=None cookies in a Set-Cookie header visible after next(), which the rewrite turns into Lax', async () => {
    const url = `${sp.issuer}/auth?${new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' })}`;
    const raw = (await fetch(url, { redirect: 'manual' })).headers.getSetCookie();
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.every((c) => /;\s*samesite=none/i.test(c))).toBe(true);
    const lax = (await fetch(url, { redirect: 'manual', headers: { 'x-seam': 'lax' } })).headers.getSetCookie();
    expect(lax.length).toBe(raw.length);
    expect(lax.every((c) => /;\s*samesite=lax/i.test(c) && !/samesite=none/i.test(c))).toBe(true);
  });

  it('renders the user-code form with an inline handler the adjustment removes, and reports failures by error name', async () => {
    const page = await fetch(`${sp.issuer}/device`);
    const html = await page.text();
    const raw = sp.seen.device.at(-1)!;
    expect(raw.error).toBeUndefined();
    expect(raw.form).toMatch(/onfocus="[^"]*"/);
    expect(raw.form).toContain('name="user_code"');
    expect(html).not.toContain('onfocus');
    expect(html).toContain('id="user-code" name="user_code"');
    for (const [code, error] of [['', 'no-code'], ['BCDF-GHJK', 'not-found']] as const) {
      const form = await fetch(`${sp.issuer}/device`);
      const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(sp.seen.device.at(-1)!.form)?.[1];
      expect(xsrf).toBeTruthy();
      await post('/device', { xsrf: xsrf!, user_code: code }, { cookie });
      expect(sp.seen.device.at(-1)?.error).toBe(error);
    }
  });

  it('sends a back-channel logout token through the client model, with the provider dispatcher that refuses loopback unless dropped', async () => {
    const client = await backchannelClient(sp.provider, 'web');
    expect(typeof client?.backchannelLogout).toBe('function');
    expect(client!.backchannelLogoutUri).toMatch(/\/logout$/);
    sp.seen.allowPrivate = false;
    await expect(client!.backchannelLogout('u1', 'sid-1')).rejects.toThrow();
    expect(sp.seen.fetches.at(-1)?.hadDispatcher).toBe(true);
    expect(logouts).toEqual([]);
    sp.seen.allowPrivate = true;
    await client!.backchannelLogout('u1', 'sid-1');
    expect(sp.seen.fetches.at(-1)?.hadDispatcher).toBe(true);
    expect(decodeJwt(logouts.at(-1)!)).toMatchObject({
      iss: sp.issuer, aud: 'web', sub: 'u1', sid: 'sid-1', events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(await backchannelClient(sp.provider, 'no-such-client')).toBeUndefined();
  });
});
