// OpenID Connect Back-Channel Logout 1.0 against a listening server: real
// relying-party back-channel endpoints (node:http) receive the POSTed
// logout_token and verify it with jose against the server's JWKS (§2.4, §2.6),
// on RP-initiated logout and when an admin ends the session (API and CLI).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { useServer } from '../../helpers/fixture.js';
import { startTestServer } from '../../helpers/server.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';
import { Jar, signIn } from '../../helpers/http-login.js';
import type { TestClient } from '../../helpers/token-client.js';
import { runCli } from '../../../src/cli/index.js';
import { cliActor } from '../../../src/security/admin-audit.js';
import { discover } from '../../helpers/token-client.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'a long and careful password';
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface Received {
  path: string;
  contentType: string | undefined;
  token: string;
}

/** The RPs' back-channel logout endpoints: answer 200 and keep what arrived. */
async function startLogoutReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], token: new URLSearchParams(body).get('logout_token') ?? '' });
      // §2.8: 200 OK, with Cache-Control: no-store.
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('back-channel logout', () => {
  // The RPs listen on loopback, which outbound requests refuse by default (SSRF).
  const server = useServer({ backend: 'postgres', env: { OUTBOUND_PRIVATE_NETWORKS: 'true' } });
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;
  let api: ReturnType<typeof createApi>;
  let token: string;
  let userId: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let rpA: TestClient;
  let rpB: TestClient;
  const redirect = (p: string) => `${receiver.base}${p}/cb`;

  /** §2.6 validation, as an RP does it. */
  async function verifyLogoutToken(t: string, clientId: string): Promise<JWTPayload> {
    const { payload, protectedHeader } = await jwtVerify(t, jwks, { issuer: server.issuer, audience: clientId, typ: 'logout+jwt' });
    expect(protectedHeader.alg).not.toBe('none');
    expect(payload.events).toEqual({ [EVENT]: {} });
    expect(payload).not.toHaveProperty('nonce');
    expect(typeof payload.iat).toBe('number');
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(60);
    expect(typeof payload.jti).toBe('string');
    expect(payload.jti!.length).toBeGreaterThanOrEqual(16);
    expect(payload.sub).toBe(userId);
    expect(payload.sid).toEqual(expect.any(String));
    return payload;
  }

  /** Signs in to both RPs in one browser session; returns their id_token claims. */
  async function signInToBoth(jar: Jar) {
    const login = async (c: TestClient, path: string) => {
      const result = await signIn({ issuer: server.issuer, client: c, redirectUri: redirect(path), email: EMAIL, password: PASSWORD, jar });
      return { idToken: result.id_token!, claims: decodeJwt(result.id_token!) };
    };
    return { a: await login(rpA, '/a'), b: await login(rpB, '/b') };
  }

  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && receiver.received.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return receiver.received.splice(0);
  };

  beforeAll(async () => {
    receiver = await startLogoutReceiver();
    api = createApi(server);
    token = await adminToken(server);
    userId = (await server.services.stores.users.create({ email: EMAIL, password: PASSWORD, emailVerified: true })).id;
    const as = await discover(server.issuer);
    jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    // One client registered through the admin API, one through the CLI.
    const created = await api.call('POST', '/clients', token, {
      client_name: 'Photo Album', redirect_uris: [redirect('/a')], first_party: true, backchannel_logout_uri: `${receiver.base}/a/logout`,
    });
    expect(created.status).toBe(201);
    expect(created.json.backchannel_logout_uri).toBe(`${receiver.base}/a/logout`);
    expect(created.json.backchannel_logout_session_required).toBe(true);
    rpA = { clientId: created.json.client_id, clientSecret: created.json.client_secret };
    const out: string[] = [];
    const code = await runCli(
      ['client', 'create', '--name', 'Calendar', '--redirect-uri', redirect('/b'), '--backchannel-logout-uri', `${receiver.base}/b/logout`, '--json'],
      { out: (t) => out.push(t), err: (t) => out.push(t), env: { ...server.env, ISSUER: server.issuer } },
    );
    expect(code, out.join('\n')).toBe(0);
    const b = JSON.parse(out.join('\n'));
    rpB = { clientId: b.client_id, clientSecret: b.client_secret };
    await server.services.admin.clients.update(rpB.clientId, { first_party: true }, cliActor());
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('is advertised in discovery', async () => {
    const d = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect(d.backchannel_logout_supported).toBe(true);
    expect(d.backchannel_logout_session_supported).toBe(true);
  });

  it('puts sid in id_tokens of clients with backchannel_logout_session_required', async () => {
    const { a, b } = await signInToBoth(new Jar());
    expect(typeof a.claims.sid).toBe('string');
    expect(typeof b.claims.sid).toBe('string');
    await api.call('DELETE', `/users/${userId}/sessions`, token);
    await waitFor(2);
  });

  it('sends a verified logout token to every client of the session on RP-initiated logout', async () => {
    const jar = new Jar();
    const { a, b } = await signInToBoth(jar);
    const url = new URL(`${server.issuer}/session/end`);
    url.search = new URLSearchParams({ id_token_hint: a.idToken, client_id: rpA.clientId }).toString();
    const page = await fetch(url, { headers: { cookie: jar.header() } });
    jar.store(page);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(xsrf).toBeTruthy();
    const confirm = await fetch(`${server.issuer}/session/end/confirm`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }),
    });
    expect(confirm.status).toBe(303);

    const got = await waitFor(2);
    expect(got.map((r) => r.path).sort()).toEqual(['/a/logout', '/b/logout']);
    for (const r of got) expect(r.contentType).toMatch(/application\/x-www-form-urlencoded/);
    const tokenA = await verifyLogoutToken(got.find((r) => r.path === '/a/logout')!.token, rpA.clientId);
    const tokenB = await verifyLogoutToken(got.find((r) => r.path === '/b/logout')!.token, rpB.clientId);
    expect(tokenA.sub).toBe(a.claims.sub);
    expect(tokenA.sid).toBe(a.claims.sid);
    expect(tokenB.sid).toBe(b.claims.sid);
    // A token for one RP does not verify for another (aud, §2.6 step 3).
    await expect(jwtVerify(got[0]!.token, jwks, { issuer: server.issuer, audience: 'someone-else' })).rejects.toThrow();
  });

  it('sends logout tokens when an admin ends the session through the admin API', async () => {
    const { a, b } = await signInToBoth(new Jar());
    const sessions = (await api.call('GET', `/users/${userId}/sessions`, token)).json.items;
    expect(sessions).toHaveLength(1);
    const res = await api.call('DELETE', `/users/${userId}/sessions/${sessions[0].id}`, token);
    expect(res.status).toBe(204);

    const got = await waitFor(2);
    expect(got.map((r) => r.path).sort()).toEqual(['/a/logout', '/b/logout']);
    const tokenA = await verifyLogoutToken(got.find((r) => r.path === '/a/logout')!.token, rpA.clientId);
    const tokenB = await verifyLogoutToken(got.find((r) => r.path === '/b/logout')!.token, rpB.clientId);
    expect([tokenA.sub, tokenA.sid]).toEqual([a.claims.sub, a.claims.sid]);
    expect([tokenB.sub, tokenB.sid]).toEqual([b.claims.sub, b.claims.sid]);
    expect((await api.call('GET', `/users/${userId}/sessions`, token)).json.items).toEqual([]);
  });

  it('sends logout tokens when the CLI ends every session of the user', async () => {
    const { a } = await signInToBoth(new Jar());
    const out: string[] = [];
    const code = await runCli(['session', 'revoke', EMAIL, '--all'], { out: (t) => out.push(t), err: (t) => out.push(t), env: { ...server.env, ISSUER: server.issuer } });
    expect(code, out.join('\n')).toBe(0);
    const got = await waitFor(2);
    expect(got.map((r) => r.path).sort()).toEqual(['/a/logout', '/b/logout']);
    const tokenA = await verifyLogoutToken(got.find((r) => r.path === '/a/logout')!.token, rpA.clientId);
    expect(tokenA.sid).toBe(a.claims.sid);
  });

  it('still ends the session when an RP endpoint is down, and tells the others', async () => {
    await api.call('PATCH', `/clients/${rpB.clientId}`, token, { backchannel_logout_uri: 'http://127.0.0.1:1/unreachable' });
    await signInToBoth(new Jar());
    const res = await api.call('DELETE', `/users/${userId}/sessions`, token);
    expect(res.status).toBe(200);
    expect(res.json.sessions_ended).toBe(1);
    const got = await waitFor(1);
    expect(got.map((r) => r.path)).toEqual(['/a/logout']);
    await verifyLogoutToken(got[0]!.token, rpA.clientId);
  });

  it('refuses loopback RP endpoints unless OUTBOUND_PRIVATE_NETWORKS is on (SSRF default)', async () => {
    await api.call('PATCH', `/clients/${rpB.clientId}`, token, { backchannel_logout_uri: `${receiver.base}/b/logout` });
    await signInToBoth(new Jar());
    const strict = await startTestServer(server.store.env); // same database, default outbound policy
    try {
      expect((await strict.services.admin.users.revokeSessions(userId, cliActor())).sessions_ended).toBe(1);
      expect(await waitFor(1)).toEqual([]);
    } finally {
      await strict.stop();
    }
  });

  it('rejects a backchannel_logout_uri that is not a URI, naming the field', async () => {
    const res = await api.call('POST', '/clients', token, { client_name: 'Bad', redirect_uris: [redirect('/c')], backchannel_logout_uri: 'not a uri' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('backchannel_logout_uri');
  });
});
