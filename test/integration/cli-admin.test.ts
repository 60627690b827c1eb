// CLI parity with the admin API: every admin command, in-process against a
// real PostgreSQL database, with --json output and the same validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { compose, type Composition as Services } from '../../src/main.js';
import { createLogger } from '../../src/http/logger.js';
import { objectAdapter } from '../../src/oidc/adapter.js';
import { useStore } from '../helpers/fixture.js';
import { cli, cliJson as json } from '../helpers/cli.js';

/** A session row as oidc-provider's Session model stores it (through the adapter). */
async function storeSession(services: Services, accountId: string, uid: string) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { kind: 'Session', jti: `jti-${uid}`, uid, accountId, loginTs: now, iat: now, exp: now + 3600, amr: ['pwd'], authorizations: {} };
  await objectAdapter(services.stores.oidcObjects, 'Session').upsert(payload.jti, payload, 3600);
}


describe('gatehouse admin commands', () => {
  const store = useStore('postgres');

  describe('admin bootstrap', () => {
    it('creates the first admin and an admin API client, shown once', async () => {
      const r = await json(store.env, 'admin', 'bootstrap', '--email', 'root@example.com', '--password', 'root-password-1', '--client-name', 'automation');
      expect(r.created).toBe(true);
      expect(r.user).toMatchObject({ email: 'root@example.com', roles: ['admin'], email_verified: true });
      expect(r.client).toMatchObject({ client_name: 'automation', admin: true, grant_types: ['client_credentials'] });
      expect(r.client.client_secret).toMatch(/^[\w-]{40,}$/);
      expect(r).toMatchObject({ scope: 'admin', resource: expect.stringMatching(/\/admin\/api$/) });
      const text = await cli(store.env, 'client', 'get', r.client.client_id);
      expect(text.out).not.toContain(r.client.client_secret);
    });

    it('grants the role to an existing user without touching the password', async () => {
      await cli(store.env, 'user', 'create', '--email', 'later@example.com', '--password', 'later-password-1');
      const r = await json(store.env, 'admin', 'bootstrap', '--email', 'later@example.com');
      expect(r).toMatchObject({ created: false, user: { roles: ['admin'] }, client: null });
      expect((await cli(store.env, 'admin', 'bootstrap', '--email', 'new@example.com')).code).toBe(2);
      expect((await cli(store.env, 'admin', 'frobnicate')).code).toBe(2);
    });
  });

  describe('client commands', () => {
    let id: string;
    it('create takes --admin and --auth-method; validation errors name the field', async () => {
      const c = await json(store.env, 'client', 'create', '--name', 'Ops', '--grant-types', 'client_credentials', '--admin', '--auth-method', 'client_secret_post');
      expect(c).toMatchObject({ admin: true, token_endpoint_auth_method: 'client_secret_post' });
      id = c.client_id;
      const bad = await cli(store.env, 'client', 'create', '--name', 'Bad', '--redirect-uri', 'https://x.example/cb#frag');
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/redirect_uris/);
      const badTtl = await cli(store.env, 'client', 'create', '--name', 'Bad', '--redirect-uri', 'https://x.example/cb', '--refresh-idle-ttl', 'soon');
      expect(badTtl.err).toMatch(/refresh_token_idle_ttl/);
    });

    it('get, list (paged) and update', async () => {
      expect(await json(store.env, 'client', 'get', id)).toMatchObject({ client_id: id, client_name: 'Ops', has_secret: true });
      expect((await cli(store.env, 'client', 'get', 'nope')).err).toMatch(/client not found/);
      const all = await json(store.env, 'client', 'list');
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(await json(store.env, 'client', 'list', '--limit', '1', '--offset', '1')).toEqual([all[1]]);
      const u = await json(store.env, 'client', 'update', id, '--name', 'Ops 2', '--admin', 'false', '--scope', 'openid email');
      expect(u).toMatchObject({ client_name: 'Ops 2', admin: false, scope: 'openid email' });
      expect(await json(store.env, 'client', 'update', id, '--scope', '')).not.toHaveProperty('scope');
      expect((await cli(store.env, 'client', 'update', id, '--admin', 'maybe')).code).toBe(2);
      expect((await cli(store.env, 'client', 'update')).code).toBe(2);
    });

    it('rotate-secret prints a new secret once; delete removes the client', async () => {
      const r = await json(store.env, 'client', 'rotate-secret', id);
      expect(r).toMatchObject({ client_id: id, client_secret: expect.stringMatching(/^[\w-]{40,}$/) });
      const text = await cli(store.env, 'client', 'rotate-secret', id);
      expect(text.out).toMatch(/client_secret: [\w-]{40,}/);
      expect(await json(store.env, 'client', 'delete', id)).toEqual({ client_id: id, deleted: true });
      expect((await cli(store.env, 'client', 'delete', id)).code).toBe(1);
    });
  });

  describe('user commands', () => {
    it('create, list --search, get by id or email, update', async () => {
      const u = await json(store.env, 'user', 'create', '--email', 'kim@corp.example', '--password', 'kim-password-1', '--given-name', 'Kim', '--email-verified');
      expect(u).toMatchObject({ given_name: 'Kim', email_verified: true });
      const found = await json(store.env, 'user', 'list', '--search', 'corp.example');
      expect(found.map((x: { email: string }) => x.email)).toEqual(['kim@corp.example']);
      expect(await json(store.env, 'user', 'get', u.id)).toMatchObject({ email: 'kim@corp.example' });
      expect(await json(store.env, 'user', 'get', 'kim@corp.example')).toMatchObject({ id: u.id });
      const up = await json(store.env, 'user', 'update', 'kim@corp.example', '--name', 'Kim Park', '--roles', 'support auditor', '--email-verified', 'false');
      expect(up).toMatchObject({ name: 'Kim Park', roles: ['support', 'auditor'], email_verified: false });
      const bad = await cli(store.env, 'user', 'update', u.id, '--email', 'nope');
      expect(bad).toMatchObject({ code: 1, err: expect.stringMatching(/email/) });
      expect((await cli(store.env, 'user', 'get', 'ghost@example.com')).err).toMatch(/user not found/);
    });

    it('sets the address and phone claims (OIDC Core §5.1) on create and update, with the API validation', async () => {
      const u = await json(store.env, 'user', 'create', '--email', 'lin@corp.example', '--password', 'lin-password-1',
        '--phone-number', '+1 425 555 1212', '--phone-number-verified', '--address-locality', 'Redmond', '--address-country', 'US');
      expect(u).toMatchObject({ phone_number: '+14255551212', phone_number_verified: true, address: { locality: 'Redmond', country: 'US' } });
      // Parts change the stored address; an empty part removes it.
      const up = await json(store.env, 'user', 'update', u.id, '--address-street', '1 Microsoft Way', '--address-country', '', '--phone-number-verified', 'false');
      expect(up).toMatchObject({ address: { street_address: '1 Microsoft Way', locality: 'Redmond' }, phone_number_verified: false });
      expect(up.address).not.toHaveProperty('country');
      const whole = await json(store.env, 'user', 'update', 'lin@corp.example', '--address', '{"formatted":"1 Main St\\nSpringfield","postal_code":"12345"}');
      expect(whole.address).toEqual({ formatted: '1 Main St\nSpringfield', postal_code: '12345' });
      expect(await json(store.env, 'user', 'update', u.id, '--address', '', '--phone-number', '')).toMatchObject({ address: null, phone_number: null });
      const badPhone = await cli(store.env, 'user', 'update', u.id, '--phone-number', '555-1212');
      expect(badPhone).toMatchObject({ code: 1, err: expect.stringMatching(/phone_number.*E\.164/) });
      const badPart = await cli(store.env, 'user', 'update', u.id, '--address', '{"zip":"1"}');
      expect(badPart).toMatchObject({ code: 1, err: expect.stringMatching(/address\.zip/) });
      expect(await cli(store.env, 'user', 'update', u.id, '--address', 'not json')).toMatchObject({ code: 2, err: expect.stringMatching(/JSON object/) });
      expect((await cli(store.env, 'user', 'update', u.id, '--phone-number-verified', 'maybe')).code).toBe(2);
      expect((await json(store.env, 'user', 'get', u.id))).toMatchObject({ address: null, phone_number: null });
    });

    it('disable, enable and reset-password (generated, shown once)', async () => {
      expect(await json(store.env, 'user', 'disable', 'kim@corp.example')).toMatchObject({ disabled: true });
      expect(await json(store.env, 'user', 'enable', 'kim@corp.example')).toMatchObject({ disabled: false });
      const given = await json(store.env, 'user', 'reset-password', 'kim@corp.example', '--password', 'brand-new-pass');
      expect(given).not.toHaveProperty('password');
      const generated = await json(store.env, 'user', 'reset-password', 'kim@corp.example');
      expect(generated.password).toMatch(/^[\w-]{20,}$/);
      expect((await cli(store.env, 'user', 'reset-password', 'kim@corp.example', '--password', 'short')).err).toMatch(/password/);
    });
  });

  describe('session commands', () => {
    let services: Services;
    let userId: string;
    beforeAll(async () => {
      services = await compose(loadConfig(store.env), createLogger('silent'));
      userId = (await services.stores.users.findByEmail('kim@corp.example'))!.id;
      await storeSession(services, userId, 'session-one');
      await storeSession(services, userId, 'session-two');
    });
    afterAll(() => services?.db.close());

    it('lists a user’s sessions and revokes one, then all', async () => {
      const sessions = await json(store.env, 'session', 'list', 'kim@corp.example');
      expect(sessions).toHaveLength(2);
      expect(await json(store.env, 'session', 'revoke', userId, sessions[0].id)).toEqual({ id: sessions[0].id, revoked: true });
      expect(await json(store.env, 'session', 'list', userId)).toHaveLength(1);
      expect((await cli(store.env, 'session', 'revoke', userId, sessions[0].id)).code).toBe(1);
      expect((await cli(store.env, 'session', 'revoke', userId)).code).toBe(2);
      expect(await json(store.env, 'session', 'revoke', userId, '--all')).toEqual({ sessions_ended: 1 });
      expect(await json(store.env, 'session', 'list', userId)).toEqual([]);
    });
  });

  describe('registration token', () => {
    it('is refused while dynamic registration is off, minted (single use by default) when on', async () => {
      const off = await cli(store.env, 'registration', 'token');
      expect(off).toMatchObject({ code: 1, err: expect.stringMatching(/DYNAMIC_REGISTRATION/) });
      const on = { ...store.env, DYNAMIC_REGISTRATION: 'true' };
      const r = await json(on, 'registration', 'token', '--ttl', '600');
      expect(r).toMatchObject({ reusable: false, initial_access_token: expect.any(String) });
      expect(await json(on, 'registration', 'token', '--reusable')).toMatchObject({ reusable: true });
      expect((await cli(on, 'registration', 'token', '--ttl', '5')).err).toMatch(/expires_in/);
    });
  });
});
