// Every admin change is audited by the admin services, whatever the entry
// point: the REST API (bearer's subject and client), the console (the signed-in
// admin through the console's client; plain HTTP form posts with the console
// session) and the CLI (the OS user). Each event names the object's id and
// never a secret: client secrets, passwords, tokens. Real PostgreSQL.
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createAdminClient, clientToken, createApi } from '../../helpers/admin-api.js';
import { httpAuthorize, Jar } from '../../helpers/http-login.js';
import { runCli } from '../../../src/cli/index.js';
import { CONSOLE_CLIENT_ID } from '../../../src/admin/admin-setup.js';

const REDIRECT = 'https://rp.example/cb';
const ADMIN = { email: 'root@example.com', password: 'root-password-1' };

describe('admin changes are audited at every entry point', () => {
  let store: TestStore;
  let server: TestServer;
  let rp: { clientId: string; clientSecret: string };
  const secrets: string[] = [];

  /** The newest event of a type (admin.<type>). */
  const last = async (type: string) => (await server.services.stores.auditLog.list(`admin.${type}`, 1))[0];
  /** Signs a user in through the RP, returning the id of the new session. */
  const newSession = async (userId: string, who: { email: string; password: string }) => {
    await httpAuthorize({ issuer: server.issuer, clientId: rp.clientId, redirectUri: REDIRECT, ...who });
    return (await server.services.admin.users.sessions(userId))[0]!.id;
  };

  beforeAll(async () => {
    store = await createTestStore('postgres');
    server = await startTestServer(store.env);
    const c = await server.services.stores.clients.create({ name: 'RP', redirectUris: [REDIRECT], scope: 'openid', firstParty: true });
    rp = { clientId: c.clientId, clientSecret: c.clientSecret! };
    await server.services.stores.users.create({ ...ADMIN, roles: ['admin'] });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('API: user, client and session changes name the token subject, its client, the ip and the object', async () => {
    const automation = await createAdminClient(server);
    const as = createApi(server).as((await clientToken(server, automation)).json.access_token as string);
    const actor = { subject: automation.clientId, clientId: automation.clientId, ip: '127.0.0.1' };

    const user = await as.post('/users', { email: 'api@example.com', password: 'api-password-1' });
    expect(user.status).toBe(201);
    secrets.push('api-password-1');
    expect(await last('user.create')).toMatchObject({ ...actor, details: { via: 'api', object_id: user.json.id } });
    const reset = await as.post(`/users/${user.json.id}/password`, {});
    secrets.push(reset.json.password);
    expect(await last('user.reset_password')).toMatchObject({ ...actor, details: { via: 'api', object_id: user.json.id, generated: true } });

    const client = await as.post('/clients', { client_name: 'API made', redirect_uris: ['https://made.example/cb'] });
    secrets.push(client.json.client_secret);
    expect(await last('client.create')).toMatchObject({ ...actor, details: { via: 'api', object_id: client.json.client_id } });
    const rotated = await as.post(`/clients/${client.json.client_id}/secret`);
    secrets.push(rotated.json.client_secret);
    expect(await last('client.rotate_secret')).toMatchObject({ ...actor, details: { via: 'api', object_id: client.json.client_id } });
    expect((await as.patch(`/clients/${client.json.client_id}`, { client_name: 'Renamed' })).status).toBe(200);
    expect(await last('client.update')).toMatchObject({ ...actor, details: { via: 'api', object_id: client.json.client_id, fields: ['client_name'] } });

    const sid = await newSession(user.json.id, { email: 'api@example.com', password: reset.json.password });
    expect((await as.delete(`/users/${user.json.id}/sessions/${sid}`)).status).toBe(204);
    expect(await last('session.revoke')).toMatchObject({ ...actor, details: { via: 'api', object_id: sid, user_id: user.json.id } });
  });

  it('console: user, client and session changes name the signed-in admin, the console client, the ip and the object', async () => {
    const jar = new Jar();
    const get = async (path: string) => {
      const res = await fetch(new URL(path, server.issuer), { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(res);
      return res;
    };
    const post = async (path: string, form: Record<string, string>) => {
      const res = await fetch(new URL(path, server.issuer), {
        method: 'POST', redirect: 'manual', body: new URLSearchParams(form),
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      });
      jar.store(res);
      return res;
    };
    // Sign in to the console: /admin -> /auth -> login form -> /admin/callback -> /admin.
    let res = await get('/admin');
    for (let hop = 0; hop < 15; hop++) {
      const location = res.headers.get('location');
      if (location) {
        res = await get(location);
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]*\/login)"/.exec(html)?.[1];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !csrf) break; // signed in: the console's own page
      res = await post(action.replace(/&amp;/g, '&'), { _csrf: csrf, ...ADMIN });
    }
    const page = await (await get('/admin/clients/new')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf, page.slice(0, 300)).toBeTruthy();
    const adminId = (await server.services.stores.users.findByEmail(ADMIN.email))!.id;
    const actor = { subject: adminId, clientId: CONSOLE_CLIENT_ID, ip: '127.0.0.1' };

    const created = await post('/admin/clients', { _csrf: csrf!, client_name: 'Console made', redirect_uris: 'https://console.example/cb', grant_types: 'authorization_code' });
    expect(created.status).toBe(201);
    const html = await created.text();
    const clientId = /id="client-id"[^>]*>\s*([^<\s]+)/.exec(html)?.[1];
    secrets.push(/id="client-secret"[^>]*>\s*([^<\s]+)/.exec(html)![1]!);
    expect(await last('client.create')).toMatchObject({ ...actor, details: { via: 'console', object_id: clientId } });
    expect((await post(`/admin/clients/${clientId}/delete`, { _csrf: csrf! })).status).toBe(303);
    expect(await last('client.delete')).toMatchObject({ ...actor, details: { via: 'console', object_id: clientId } });

    expect((await post('/admin/users', { _csrf: csrf!, email: 'console@example.com', password: 'console-password-1' })).status).toBe(303);
    secrets.push('console-password-1');
    const user = (await server.services.stores.users.findByEmail('console@example.com'))!;
    expect(await last('user.create')).toMatchObject({ ...actor, details: { via: 'console', object_id: user.id } });

    const who = { email: 'console@example.com', password: 'console-password-1' };
    await newSession(user.id, who);
    const signedOut = await post(`/admin/users/${user.id}/sessions/revoke`, { _csrf: csrf! });
    expect(signedOut.headers.get('location')).toBe('/admin/users?notice=signed_out');
    expect(await last('session.revoke_all')).toMatchObject({ ...actor, details: { via: 'console', object_id: user.id, sessions_ended: 1 } });
    expect(await server.services.admin.users.sessions(user.id)).toEqual([]);
    // Disabling ends the user's sessions too.
    await newSession(user.id, who);
    expect((await post(`/admin/users/${user.id}/disable`, { _csrf: csrf! })).status).toBe(303);
    expect(await last('user.disable')).toMatchObject({ ...actor, details: { via: 'console', object_id: user.id, sessions_ended: 1 } });
    expect(await server.services.admin.users.sessions(user.id)).toEqual([]);
    // The signed-in admin is recognised as themselves: no self-lockout, nothing recorded.
    expect((await post(`/admin/users/${adminId}/disable`, { _csrf: csrf! })).status).toBe(409);
    expect((await server.services.stores.users.findById(adminId))!.disabled).toBe(false);
    expect((await last('user.disable'))!.details).toMatchObject({ object_id: user.id });
    // Without the console's CSRF token nothing changes and nothing is recorded.
    const before = await server.services.stores.auditLog.list('admin.user.enable', 10);
    expect((await post(`/admin/users/${user.id}/enable`, {})).status).toBe(403);
    expect(await server.services.stores.auditLog.list('admin.user.enable', 10)).toEqual(before);
  });

  it('CLI: user, client and session changes name the OS user and the object', async () => {
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const code = await runCli([...argv, '--json'], { out: (t) => out.push(t), err: (t) => out.push(t), env: store.env });
      expect(code, out.join('\n')).toBe(0);
      return JSON.parse(out.join('\n'));
    };
    const actor = { subject: userInfo().username, clientId: null, ip: null };
    const user = await cli('user', 'create', '--email', 'cli@example.com', '--password', 'cli-password-1');
    secrets.push('cli-password-1');
    expect(await last('user.create')).toMatchObject({ ...actor, details: { via: 'cli', object_id: user.id } });
    await cli('user', 'update', user.id, '--name', 'Cli User');
    expect(await last('user.update')).toMatchObject({ ...actor, details: { via: 'cli', object_id: user.id, fields: ['name'] } });

    const client = await cli('client', 'create', '--name', 'CLI made', '--redirect-uri', 'https://cli.example/cb');
    secrets.push(client.client_secret);
    expect(await last('client.create')).toMatchObject({ ...actor, details: { via: 'cli', object_id: client.client_id } });
    const rotated = await cli('client', 'rotate-secret', client.client_id);
    secrets.push(rotated.client_secret);
    expect(await last('client.rotate_secret')).toMatchObject({ ...actor, details: { via: 'cli', object_id: client.client_id } });

    const sid = await newSession(user.id, { email: 'cli@example.com', password: 'cli-password-1' });
    await cli('session', 'revoke', user.id, sid);
    expect(await last('session.revoke')).toMatchObject({ ...actor, details: { via: 'cli', object_id: sid, user_id: user.id } });

    // The operations beside users and clients are audited the same way.
    const keys = await cli('keys', 'rotate');
    expect(await last('keys.rotate')).toMatchObject({ ...actor, details: { via: 'cli', object_id: keys.staged } });
    await cli('resource', 'create', '--indicator', 'https://orders.example/', '--scope', 'read');
    expect(await last('resource.create')).toMatchObject({ ...actor, details: { via: 'cli', object_id: 'https://orders.example/' } });
    await cli('user', 'unlock', '--email', 'cli@example.com');
    expect(await last('user.unlock')).toMatchObject({ ...actor, details: { via: 'cli', object_id: 'cli@example.com' } });
  });

  it('never records a secret, and no longer records per-route events', async () => {
    const rows = await server.services.db.prisma.securityEvent.findMany({ where: { type: { startsWith: 'admin.' } } });
    expect(rows.length).toBeGreaterThan(15);
    const text = JSON.stringify(rows.map((r) => ({ ...r, id: String(r.id) })));
    expect(secrets.filter(Boolean).length).toBe(9);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(rows.filter((r) => r.type === 'admin.api' || r.type === 'admin.console')).toEqual([]);
  });
});
