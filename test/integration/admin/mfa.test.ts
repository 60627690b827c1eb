// /admin/api/users/{id}/factors and mfa_required: an admin sees a user's
// second factors (never a secret, public key or whole credential id), removes
// one, resets all, requires MFA for the user; 404 for unknown users and
// factors; every change in the audit log with the actor and the user.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { adminToken, createApi, fieldsOf } from '../../helpers/admin-api.js';
import { postForm } from '../../helpers/token-client.js';
import type { Stores } from '../../../src/composition.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CREDENTIAL_ID = 'cHJpdmF0ZS1jcmVkZW50aWFsLWlkLXZhbHVl';
let seeded = 0;
const PUBLIC_KEY = 'pQECAyYgASFYIPublicKeyBytesThatMustNotLeak';

/** Setup: a confirmed TOTP factor, a passkey and ten recovery codes, straight into the stores. */
async function seedFactors(stores: Stores, userId: string, credentialId = `${CREDENTIAL_ID}${seeded++}`) {
  const totp = await stores.factors.addTotp(userId, 'Work phone', TOTP_SECRET);
  expect(await stores.factors.acceptTotpStep(userId, totp.id, 1000)).toBe(true);
  const passkey = await stores.factors.addPasskey(userId, 'YubiKey', {
    credentialId, publicKey: PUBLIC_KEY, signCount: 3, transports: ['usb', 'nfc'],
    deviceType: 'singleDevice', backedUp: false, aaguid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
  });
  await stores.recoveryCodes.replace(userId, Array.from({ length: 10 }, (_, i) => `code-${i}-abcdef`));
  return { totp, passkey };
}

describe('admin API: multi-factor', () => {
  const server = useServer({ backend: 'postgres' });
  let api: ReturnType<typeof createApi>;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  let adminClientId: string;
  const audit = async (type: string) => (await server.services.stores.auditLog.list(type, 1))[0];
  const newUser = async (email: string) => (await as.post('/users', { email, password: 'password-1234' })).json.id as string;

  beforeAll(async () => {
    api = createApi(server);
    const token = await adminToken(server);
    adminClientId = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).client_id;
    as = api.as(token);
  });

  it('lists factors as admin JSON with the recovery codes remaining, never a secret or key', async () => {
    const id = await newUser('lister@example.com');
    expect((await as.get(`/users/${id}/factors`)).json).toEqual({ user_id: id, mfa_required: false, items: [], recovery_codes_remaining: 0 });
    const { totp, passkey } = await seedFactors(server.services.stores, id, CREDENTIAL_ID);
    await server.services.stores.recoveryCodes.use(id, 'code-0-abcdef');
    const r = await as.get(`/users/${id}/factors`);
    expect(r.status).toBe(200);
    expect(r.json.recovery_codes_remaining).toBe(9);
    expect(r.json.items).toEqual([
      { id: totp.id, kind: 'totp', name: 'Work phone', created_at: expect.any(String), last_used_at: expect.any(String) },
      {
        id: passkey.id, kind: 'passkey', name: 'YubiKey', created_at: expect.any(String), last_used_at: null,
        device_type: 'singleDevice', backed_up: false, transports: ['usb', 'nfc'], aaguid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
        credential_id_prefix: CREDENTIAL_ID.slice(0, 8),
      },
    ]);
    for (const secret of [TOTP_SECRET, CREDENTIAL_ID, PUBLIC_KEY, 'code-1-abcdef']) expect(r.text).not.toContain(secret);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('removes one factor (204, audited with actor and object); the last one takes the recovery codes along', async () => {
    const id = await newUser('remover@example.com');
    const { totp, passkey } = await seedFactors(server.services.stores, id, 'cmVtb3ZlLW1lLWNyZWRlbnRpYWw');
    expect((await as.delete(`/users/${id}/factors/${totp.id}`)).status).toBe(204);
    expect(await audit('admin.user.mfa_factor_remove')).toMatchObject({
      clientId: adminClientId, outcome: 'success',
      details: { via: 'api', object_id: id, factor_id: totp.id, kind: 'totp', recovery_codes_removed: 0 },
    });
    let listed = (await as.get(`/users/${id}/factors`)).json;
    expect(listed.items.map((f: { id: string }) => f.id)).toEqual([passkey.id]);
    expect(listed.recovery_codes_remaining).toBe(10);
    expect((await as.delete(`/users/${id}/factors/${totp.id}`)).status).toBe(404);

    expect((await as.delete(`/users/${id}/factors/${passkey.id}`)).status).toBe(204);
    expect((await audit('admin.user.mfa_factor_remove'))!.details).toMatchObject({ factor_id: passkey.id, kind: 'passkey', recovery_codes_removed: 10 });
    listed = (await as.get(`/users/${id}/factors`)).json;
    expect(listed).toMatchObject({ items: [], recovery_codes_remaining: 0 });
    expect(await server.services.stores.factors.findPasskey('cmVtb3ZlLW1lLWNyZWRlbnRpYWw')).toBeNull();
  });

  it('resets all factors and recovery codes, audited as admin.user.mfa_reset with the counts', async () => {
    const id = await newUser('reset@example.com');
    await seedFactors(server.services.stores, id);
    await server.services.stores.factors.addTotp(id, 'Pending enrolment', TOTP_SECRET); // never confirmed
    const r = await as.delete(`/users/${id}/factors`);
    expect(r).toMatchObject({ status: 200, json: { factors_removed: 3, recovery_codes_removed: 10 } });
    expect(await server.services.stores.factors.list(id, { pending: true })).toEqual([]);
    expect(await server.services.stores.recoveryCodes.remaining(id)).toBe(0);
    expect(await server.services.stores.recoveryCodes.use(id, 'code-1-abcdef')).toMatchObject({ ok: false });
    expect(await audit('admin.user.mfa_reset')).toMatchObject({
      clientId: adminClientId, details: { via: 'api', object_id: id, factors_removed: 3, recovery_codes_removed: 10 },
    });
    // Idempotent: a second reset removes nothing and is still recorded.
    expect((await as.delete(`/users/${id}/factors`)).json).toEqual({ factors_removed: 0, recovery_codes_removed: 0 });
    // Readable through the API's own audit endpoint too.
    const page = (await as.get('/audit?type=admin.user.mfa_reset')).json;
    expect(page.items[0]).toMatchObject({ type: 'admin.user.mfa_reset', details: { object_id: id, factors_removed: 0 } });
  });

  it('answers 404 for unknown or malformed users and factors, and records nothing', async () => {
    const id = await newUser('lonely@example.com');
    const before = (await server.services.stores.auditLog.list('admin.user.mfa_reset', 100)).length;
    for (const user of [UNKNOWN, 'not-a-uuid']) {
      expect(await as.get(`/users/${user}/factors`)).toMatchObject({ status: 404, json: { error: 'not_found' } });
      expect((await as.delete(`/users/${user}/factors`)).status).toBe(404);
      expect((await as.delete(`/users/${user}/factors/${UNKNOWN}`)).status).toBe(404);
    }
    expect(await as.delete(`/users/${id}/factors/${UNKNOWN}`)).toMatchObject({ status: 404, json: { error: 'not_found' } });
    expect((await as.delete(`/users/${id}/factors/not-a-uuid`)).status).toBe(404);
    expect((await server.services.stores.auditLog.list('admin.user.mfa_reset', 100)).length).toBe(before);
  });

  it('takes mfa_required on create and update, shows it in the user JSON, and audits it as a user update', async () => {
    const created = await as.post('/users', { email: 'strict@example.com', password: 'password-1234', mfa_required: true });
    expect(created).toMatchObject({ status: 201, json: { mfa_required: true } });
    expect((await server.services.stores.users.findById(created.json.id))!.mfaRequired).toBe(true);
    expect((await audit('admin.user.create'))!.details).toMatchObject({ object_id: created.json.id, mfa_required: true });
    expect((await as.post('/users', { email: 'relaxed@example.com', password: 'password-1234' })).json.mfa_required).toBe(false);

    const off = await as.patch(`/users/${created.json.id}`, { mfa_required: false, name: 'Strict No More' });
    expect(off.json).toMatchObject({ mfa_required: false, name: 'Strict No More' });
    expect(await audit('admin.user.update')).toMatchObject({
      clientId: adminClientId, details: { via: 'api', object_id: created.json.id, fields: ['mfa_required', 'name'], mfa_required: false },
    });
    expect((await as.get(`/users/${created.json.id}`)).json.mfa_required).toBe(false);
    expect((await as.get(`/users/${created.json.id}/factors`)).json.mfa_required).toBe(false);
    expect((await as.patch(`/users/${created.json.id}`, { mfa_required: true })).json.mfa_required).toBe(true);
    expect((await as.get('/users?q=strict@')).json.items[0].mfa_required).toBe(true);

    expect(fieldsOf(await as.patch(`/users/${created.json.id}`, { mfa_required: 'yes' }))).toEqual(['mfa_required']);
    expect((await as.patch(`/users/${UNKNOWN}`, { mfa_required: true })).status).toBe(404);
  });

  it('takes require_mfa on clients (create, update), shown as a boolean in the client JSON', async () => {
    const plain = await as.post('/clients', { client_name: 'Plain', redirect_uris: ['https://plain.example/cb'] });
    expect(plain.json.require_mfa).toBe(false);
    const strict = await as.post('/clients', { client_name: 'Payroll', redirect_uris: ['https://payroll.example/cb'], require_mfa: true });
    expect(strict).toMatchObject({ status: 201, json: { require_mfa: true } });
    const id = strict.json.client_id as string;
    expect((await server.services.stores.clients.get(id))!.metadata.require_mfa).toBe(true);
    expect((await as.get(`/clients/${id}`)).json.require_mfa).toBe(true);
    expect((await as.patch(`/clients/${id}`, { require_mfa: false })).json.require_mfa).toBe(false);
    expect((await audit('admin.client.update'))!.details).toMatchObject({ object_id: id, fields: ['require_mfa'] });
    expect(fieldsOf(await as.patch(`/clients/${id}`, { require_mfa: 'sometimes' }))).toEqual(['require_mfa']);
    // The provider loads a client carrying the property (it validates stored metadata on every lookup).
    const service = await as.post('/clients', { client_name: 'Batch', grant_types: ['client_credentials'], require_mfa: true });
    const token = await postForm(server.issuer, '/token', { clientId: service.json.client_id, clientSecret: service.json.client_secret }, { grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
  });
});
