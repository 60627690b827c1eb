// `gatehouse user factors | factor-remove | mfa-reset`, `--mfa-required` on
// users and `--require-mfa` on clients: in-process against a real PostgreSQL
// database, text and --json output, audited with the CLI actor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userInfo } from 'node:os';
import { USAGE } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config.js';
import { compose, type Composition as Services } from '../../src/main.js';
import { createLogger } from '../../src/http/logger.js';
import { useStore } from '../helpers/fixture.js';
import { cli, cliJson as json } from '../helpers/cli.js';


describe('gatehouse multi-factor admin commands', () => {
  const store = useStore('postgres');
  let services: Services;
  let userId: string;
  const latest = async (type: string) => (await services.stores.auditLog.list(type, 1))[0];

  beforeAll(async () => {
    expect((await cli(store.env, 'user', 'create', '--email', 'mo@corp.example', '--password', 'password-1234')).code).toBe(0);
    services = await compose(loadConfig(store.env), createLogger('silent'));
    userId = (await services.stores.users.findByEmail('mo@corp.example'))!.id;
    // Setup straight into the stores: a confirmed TOTP factor, a passkey, recovery codes.
    const totp = await services.stores.factors.addTotp(userId, 'Phone', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await services.stores.factors.acceptTotpStep(userId, totp.id, 42);
    await services.stores.factors.addPasskey(userId, 'Laptop', {
      credentialId: 'Y2xpLXBhc3NrZXktY3JlZGVudGlhbA', publicKey: 'pQECAyYgASFYIcliPublicKey', signCount: 0,
      transports: ['internal'], deviceType: 'multiDevice', backedUp: true, aaguid: null,
    });
    await services.stores.recoveryCodes.replace(userId, ['aaaa-1111', 'bbbb-2222', 'cccc-3333']);
  });
  afterAll(() => services?.db.close());

  it('user factors lists factors by email or id, as lines or --json, without secrets', async () => {
    const text = await cli(store.env, 'user', 'factors', 'mo@corp.example');
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(/^[0-9a-f-]{36} {2}totp {5}Phone {2}added \d{4}-\d\d-\d\d {2}last used \d{4}-\d\d-\d\d$/);
    expect(lines[1]).toMatch(/passkey {2}Laptop {2}added .* last used never {2}synced {2}credential Y2xpLXBh…$/);
    expect(lines.slice(2)).toEqual(['recovery codes remaining: 3', 'multi-factor sign-in required: no']);
    expect(text.out).not.toContain('Y2xpLXBhc3NrZXktY3JlZGVudGlhbA');
    const listed = await json(store.env, 'user', 'factors', userId);
    expect(listed).toMatchObject({ user_id: userId, mfa_required: false, recovery_codes_remaining: 3 });
    expect(listed.items.map((f: { kind: string }) => f.kind)).toEqual(['totp', 'passkey']);
    expect(JSON.stringify(listed)).not.toMatch(/JBSWY3DP|cliPublicKey|aaaa-1111/);
  });

  it('user factor-remove removes one factor, audited with the CLI actor', async () => {
    const [totp] = (await json(store.env, 'user', 'factors', userId)).items;
    const r = await cli(store.env, 'user', 'factor-remove', 'mo@corp.example', totp.id);
    expect(r).toMatchObject({ code: 0, out: `removed totp factor Phone (${totp.id})` });
    expect(await latest('admin.user.mfa_factor_remove')).toMatchObject({
      subject: userInfo().username, details: { via: 'cli', object_id: userId, factor_id: totp.id, kind: 'totp' },
    });
    expect((await cli(store.env, 'user', 'factor-remove', userId, totp.id)).code).toBe(1); // 404: gone
    expect((await cli(store.env, 'user', 'factor-remove', userId)).code).toBe(2); // usage: no FACTOR_ID
  });

  it('user mfa-reset removes every factor and recovery code, audited with the CLI actor', async () => {
    const r = await cli(store.env, 'user', 'mfa-reset', 'mo@corp.example');
    expect(r).toMatchObject({ code: 0, out: 'reset multi-factor sign-in: removed 1 factor(s) and 3 recovery code(s)' });
    expect(await latest('admin.user.mfa_reset')).toMatchObject({
      subject: userInfo().username, details: { via: 'cli', object_id: userId, factors_removed: 1, recovery_codes_removed: 3 },
    });
    expect(await json(store.env, 'user', 'factors', userId)).toMatchObject({ items: [], recovery_codes_remaining: 0 });
    expect((await cli(store.env, 'user', 'factors', userId)).out).toMatch(/^no second factor enrolled\n/);
    expect(await json(store.env, 'user', 'mfa-reset', userId)).toEqual({ factors_removed: 0, recovery_codes_removed: 0 });
    const unknown = await cli(store.env, 'user', 'mfa-reset', 'nobody@corp.example');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not found/i);
    expect((await cli(store.env, 'user', 'mfa-reset')).code).toBe(2);
  });

  it('--mfa-required on user create and update', async () => {
    const created = await json(store.env, 'user', 'create', '--email', 'strict@corp.example', '--password', 'password-1234', '--mfa-required');
    expect(created.mfa_required).toBe(true);
    expect((await cli(store.env, 'user', 'get', 'strict@corp.example')).out).toMatch(/\(mfa required\)$/);
    expect((await json(store.env, 'user', 'update', 'mo@corp.example', '--mfa-required', 'true')).mfa_required).toBe(true);
    expect(await latest('admin.user.update')).toMatchObject({ details: { via: 'cli', object_id: userId, fields: ['mfa_required'], mfa_required: true } });
    expect((await json(store.env, 'user', 'update', userId, '--mfa-required=false')).mfa_required).toBe(false);
    expect((await services.stores.users.findById(userId))!.mfaRequired).toBe(false);
    expect((await cli(store.env, 'user', 'update', userId, '--mfa-required', 'maybe')).code).toBe(2);
  });

  it('--require-mfa on client create and update', async () => {
    const c = await json(store.env, 'client', 'create', '--name', 'Payroll', '--redirect-uri', 'https://payroll.example/cb', '--require-mfa');
    expect(c.require_mfa).toBe(true);
    expect((await services.stores.clients.get(c.client_id))!.metadata.require_mfa).toBe(true);
    expect((await json(store.env, 'client', 'update', c.client_id, '--require-mfa', 'false')).require_mfa).toBe(false);
    expect((await cli(store.env, 'client', 'get', c.client_id)).out).toContain('require_mfa: false');
    const plain = await json(store.env, 'client', 'create', '--name', 'Plain', '--redirect-uri', 'https://plain.example/cb');
    expect(plain.require_mfa).toBe(false);
  });

  it('documents the commands in the usage text', () => {
    for (const s of ['user factors USER', 'user factor-remove USER FACTOR_ID', 'user mfa-reset USER', '[--mfa-required]', '[--mfa-required true|false]', '[--require-mfa]', '[--require-mfa true|false]']) {
      expect(USAGE).toContain(s);
    }
  });
});
