// The standard `address` and `phone` scopes (OpenID Connect Core §5.4) with
// their claims (§5.1, §5.1.1): set through the admin API, released at the
// userinfo endpoint to a real openid-client relying party only when granted.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';
import { runCli } from '../../../src/cli/index.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'ada@example.com', password: 'analytical-engine' };
const ADDRESS = { street_address: '12 Marylebone Road', locality: 'London', postal_code: 'NW1 5LR', country: 'GB' };

// Both backends: findById reads the JSONB address through raw SQL (user-store.ts).
describe.each(BACKENDS)('address and phone claims on %s', (backend) => {
  let store: TestStore;
  let server: TestServer;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  let rp: oidc.Configuration;
  let clientId: string;
  let userId: string;

  /** Signs in through the login and consent pages; the RP redeems the code with openid-client. */
  let consentPage = '';
  const signIn = async (scope: string) => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId, redirectUri: REDIRECT, ...USER, scope, extra: { prompt: 'consent' },
      onPage: (page, html) => { if (page === 'consent') consentPage = html; },
    });
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    return { tokens, userinfo: await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub) };
  };

  beforeAll(async () => {
    store = await createTestStore(backend);
    server = await startTestServer(store.env);
    as = createApi(server).as(await adminToken(server));
    const c = await server.services.stores.clients.create({ name: 'RP', redirectUris: [REDIRECT], scope: 'openid email address phone' });
    clientId = c.clientId;
    rp = await oidc.discovery(new URL(server.issuer), c.clientId, c.clientSecret!, oidc.ClientSecretBasic(c.clientSecret!), { execute: [oidc.allowInsecureRequests] });
    const created = await as.post('/users', { ...USER, phone_number: '+44 (20) 7946-0958', address: { locality: 'Cambridge' } });
    expect(created).toMatchObject({ status: 201, json: { phone_number: '+442079460958', phone_number_verified: false, address: { locality: 'Cambridge' } } });
    userId = created.json.id;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('lists the scopes and claims in discovery', () => {
    const meta = rp.serverMetadata();
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['address', 'phone']));
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['address', 'phone_number', 'phone_number_verified']));
  });

  it('sets address and phone through the admin API, with JSON errors naming the fields', async () => {
    const r = await as.patch(`/users/${userId}`, { address: ADDRESS, phone_number_verified: true });
    expect(r).toMatchObject({ status: 200, json: { address: ADDRESS, phone_number: '+442079460958', phone_number_verified: true } });
    expect((await as.get(`/users/${userId}`)).json.address).toEqual(ADDRESS);

    const bad = await as.patch(`/users/${userId}`, { phone_number: '020 7946 0958', address: { locality: 7, zip: 'x', country: 'A'.repeat(201) } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
    expect(fieldsOf(bad).sort()).toEqual(['address.country', 'address.locality', 'address.zip', 'phone_number']);
    expect(bad.json.fields.find((f: { field: string }) => f.field === 'phone_number').message).toMatch(/E\.164/);
    expect(fieldsOf(await as.patch(`/users/${userId}`, { address: {} }))).toEqual(['address']);
    expect(fieldsOf(await as.patch(`/users/${userId}`, { address: { locality: 'a\u0000b' } }))).toEqual(['address.locality']);
    expect((await as.get(`/users/${userId}`)).json).toMatchObject({ address: ADDRESS, phone_number: '+442079460958' });
  });

  it('releases them at userinfo when address and phone are granted', async () => {
    await as.patch(`/users/${userId}`, { address: ADDRESS, phone_number: '+442079460958', phone_number_verified: true });
    const { tokens, userinfo } = await signIn('openid address phone');
    expect(tokens.scope?.split(' ').sort()).toEqual(['address', 'openid', 'phone']);
    expect(userinfo).toEqual({ sub: userId, address: ADDRESS, phone_number: '+442079460958', phone_number_verified: true });
    // The consent screen says what each scope gives, in plain words (scope-descriptions.ts).
    expect(consentPage).toContain('Your postal address');
    expect(consentPage).toContain('Your phone number, and whether it is verified');
    expect(consentPage).not.toContain('Access: address');
  });

  it('does not release them otherwise, nor once removed', async () => {
    const { userinfo } = await signIn('openid email');
    expect(userinfo).toEqual({ sub: userId, email: USER.email, email_verified: false });
    const phoneOnly = await signIn('openid phone');
    expect(phoneOnly.userinfo).toEqual({ sub: userId, phone_number: '+442079460958', phone_number_verified: true });
    expect((await as.patch(`/users/${userId}`, { address: null, phone_number: null })).json).toMatchObject({ address: null, phone_number: null });
    const cleared = await signIn('openid address phone');
    expect(cleared.userinfo).toEqual({ sub: userId });
  });

  // The CLI beside a running server needs a shared database: the embedded
  // store is one process per data directory by design (src/db/dir-lock.ts).
  if (backend === 'postgres') it('releases what the CLI set (same database, its own process state)', async () => {
    const out: string[] = [];
    const code = await runCli(['user', 'update', USER.email, '--phone-number', '+1 425 555 0100', '--address-locality', 'Redmond', '--json'],
      { out: (t) => out.push(t), err: (t) => out.push(t), env: store.env });
    expect(code, out.join('\n')).toBe(0);
    const { userinfo } = await signIn('openid address phone');
    // A new number is unverified until someone says otherwise.
    expect(userinfo).toEqual({ sub: userId, address: { locality: 'Redmond' }, phone_number: '+14255550100', phone_number_verified: false });
  });
});
