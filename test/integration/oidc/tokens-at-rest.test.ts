// Token values at rest (src/oidc/at-rest.ts, docs/security.md "Tokens at
// rest"): after real flows, a read-only dump of oidc_objects holds no value
// that works at /token, /me or introspection, and none of the values the
// clients were given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize, Jar } from '../../helpers/http-login.js';
import { exchangeCode, introspect, postForm, refresh, type TestClient } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'rest@example.com', password: 'tokens-at-rest-please' };
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

type Dumped = { model: string; id: string; payload: string; grant_id: string | null; user_code: string | null; uid: string | null };

/** Every string in a JSON value (object keys excluded). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('token values at rest', () => {
  let store: TestStore;
  let server: TestServer;
  let web: TestClient;
  let service: TestClient;
  let deviceClientId: string;
  const jar = new Jar();
  const given: Record<string, string> = {};
  let pendingVerifier = '';

  const me = async (token: string) => (await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${token}` } })).status;
  const redeem = (code: string) =>
    postForm(server.issuer, '/token', web, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pendingVerifier });
  const poll = (deviceCode: string) =>
    postForm(server.issuer, '/token', null, { grant_type: DEVICE_CODE, device_code: deviceCode, client_id: deviceClientId });

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // Hundreds of failed probes from one address: keep the protocol throttle out of the way.
    server = await startTestServer({ ...store.env, PROTOCOL_MAX_FAILURES_PER_IP: '100000' });
    await server.services.stores.users.create(USER);
    const w = await server.services.stores.clients.create({ name: 'web', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    web = { clientId: w.clientId, clientSecret: w.clientSecret! };
    const s = await server.services.stores.clients.create({ name: 'svc', redirectUris: [], grantTypes: ['client_credentials'] });
    service = { clientId: s.clientId, clientSecret: s.clientSecret! };
    deviceClientId = (await server.services.stores.clients.create({ name: 'tv', redirectUris: [], grantTypes: [DEVICE_CODE], public: true })).clientId;

    // Authorization code -> access + refresh token, then one rotation.
    const login = { issuer: server.issuer, clientId: web.clientId, redirectUri: REDIRECT, ...USER, scope: 'openid offline_access', jar };
    const first = await httpAuthorize({ ...login, extra: { prompt: 'consent' } });
    const { result } = await exchangeCode(server.issuer, web, REDIRECT, first.callback, first.verifier);
    given.code = first.code;
    given.accessToken = result.access_token;
    given.refreshToken = result.refresh_token!;
    const rotated = await refresh(server.issuer, web, given.refreshToken);
    expect(rotated.status).toBe(200);
    given.rotatedAccessToken = String(rotated.json.access_token);
    given.rotatedRefreshToken = String(rotated.json.refresh_token);
    // A second code, left unredeemed (single sign-on on the same session).
    const second = await httpAuthorize(login);
    given.pendingCode = second.code;
    pendingVerifier = second.verifier;
    // Client credentials (opaque), a pending device flow, a pushed request.
    const cc = await postForm(server.issuer, '/token', service, { grant_type: 'client_credentials' });
    expect(cc.status).toBe(200);
    given.clientCredentials = String(cc.json.access_token);
    const device = await postForm(server.issuer, '/device/auth', null, { client_id: deviceClientId, scope: 'openid' });
    expect(device.status).toBe(200);
    given.deviceCode = String(device.json.device_code);
    given.userCode = String(device.json.user_code).replace('-', '');
    const par = await postForm(server.issuer, '/request', web, {
      client_id: web.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    });
    expect(par.status, par.text).toBe(201);
    given.pushedRequest = String(par.json.request_uri).split(':').pop()!;
    // A sign-in left at the login page: its interaction id is in the URL only.
    const started = await fetch(`${server.issuer}/auth?${new URLSearchParams({
      client_id: web.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'y'.repeat(43), code_challenge_method: 'S256',
    })}`, { redirect: 'manual' });
    given.interaction = /\/interaction\/([^/?#]+)/.exec(started.headers.get('location') ?? '')![1]!;
    // The browser's cookies: the session cookie value is the Session's id.
    for (const pair of jar.header().split('; ')) {
      const [name, value] = pair.split('=') as [string, string];
      if (!name.endsWith('.sig') && value.length >= 16) given[`cookie ${name}`] = value;
    }
    expect(Object.keys(given).some((k) => k.startsWith('cookie _session'))).toBe(true);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  const dump = () => server.services.db.sql.query<Dumped>('SELECT model, id, payload::text AS payload, grant_id, user_code, uid FROM oidc_objects');

  it('the probes work: the live values are accepted where they belong', async () => {
    expect(await me(given.rotatedAccessToken!)).toBe(200);
    expect((await introspect(server.issuer, web, given.rotatedAccessToken!)).active).toBe(true);
    expect((await introspect(server.issuer, service, given.clientCredentials!)).active).toBe(true);
    expect((await poll(given.deviceCode!)).json.error).toBe('authorization_pending');
  });

  it('stores none of the values the clients and the browser were given', async () => {
    const rows = await dump();
    const models = new Set(rows.map((r) => r.model));
    for (const m of ['Session', 'Interaction', 'AccessToken', 'RefreshToken', 'AuthorizationCode', 'ClientCredentials', 'DeviceCode', 'PushedAuthorizationRequest', 'Grant']) {
      expect(models, m).toContain(m);
    }
    const text = JSON.stringify(rows);
    for (const [what, value] of Object.entries(given)) expect(text.includes(value), `${what} stored in clear`).toBe(false);
  });

  it('accepts no stored string as a refresh token, code, device code, bearer token or introspected token', async () => {
    const rows = await dump();
    const candidates = new Set<string>();
    for (const r of rows) {
      for (const s of [r.id, r.grant_id, r.user_code, r.uid, ...strings(JSON.parse(r.payload))]) {
        if (typeof s === 'string' && s.length >= 8) candidates.add(s);
      }
    }
    expect(candidates.size).toBeGreaterThan(20);
    const accepted: string[] = [];
    for (const c of candidates) {
      if ((await refresh(server.issuer, web, c)).status === 200) accepted.push(`refresh_token ${c}`);
      if ((await redeem(c)).status === 200) accepted.push(`code ${c}`);
      const polled = await poll(c);
      if (polled.status === 200 || polled.json.error === 'authorization_pending') accepted.push(`device_code ${c}`);
      if ((await me(c)) === 200) accepted.push(`bearer ${c}`);
      if ((await introspect(server.issuer, web, c)).active) accepted.push(`introspected by web ${c}`);
      if ((await introspect(server.issuer, service, c)).active) accepted.push(`introspected by svc ${c}`);
    }
    expect(accepted).toEqual([]);
    // And the values themselves still work after all those probes.
    expect((await redeem(given.pendingCode!)).status).toBe(200);
    expect((await refresh(server.issuer, web, given.rotatedRefreshToken!)).status).toBe(200);
  });
});
