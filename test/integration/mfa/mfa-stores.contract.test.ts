// Contract of the second-factor stores (src/mfa/factor-store.ts,
// src/mfa/recovery-code-store.ts) on PostgreSQL and embedded PGlite alike:
// sealing, the one-time rules under concurrency, and the user's cascade.
import { beforeAll, expect, it } from 'vitest';
import { createFactorStore, type FactorStore } from '../../../src/mfa/factor-store.js';
import { createRecoveryCodeStore, type RecoveryCodeStore } from '../../../src/mfa/recovery-code-store.js';
import { createUserStore, type UserStore } from '../../../src/users/user-store.js';
import { createSecretBox, deriveKey } from '../../../src/crypto/secret-box.js';
import { forEachBackend } from '../../helpers/backends.js';

const passkey = (credentialId: string) => ({
  credentialId, publicKey: 'pQECAyYgASFYIA', signCount: 5, transports: ['internal'],
  deviceType: 'singleDevice' as const, backedUp: false, aaguid: null,
});

forEachBackend('mfa stores contract', (ctx) => {
  let factors: FactorStore;
  let codes: RecoveryCodeStore;
  let users: UserStore;
  const newUser = async () => (await users.create({ email: `u${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery' })).id;

  beforeAll(() => {
    factors = createFactorStore(ctx.db.prisma, createSecretBox(ctx.secret, 'mfa-totp'));
    codes = createRecoveryCodeStore(ctx.db.prisma, deriveKey(ctx.secret, 'recovery-codes'));
    users = createUserStore(ctx.db.prisma, ctx.db.sql);
  });

  it('keeps a TOTP secret sealed, pending until a first step is accepted, and refuses replays', async () => {
    const userId = await newUser();
    const f = await factors.addTotp(userId, 'Phone', 'JBSWY3DPEHPK3PXP');
    expect(f.confirmed).toBe(false);
    expect(await factors.list(userId)).toEqual([]);
    expect((await factors.list(userId, { pending: true })).map((x) => x.id)).toEqual([f.id]);
    const rows = await ctx.db.sql.query<{ secret_sealed: string }>('SELECT secret_sealed FROM mfa_factors WHERE id = $1', [f.id]);
    expect(rows[0]!.secret_sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await factors.totpSecret(userId, f.id)).toEqual({ secret: 'JBSWY3DPEHPK3PXP', confirmed: false });

    const results = await Promise.all([factors.acceptTotpStep(userId, f.id, 1000), factors.acceptTotpStep(userId, f.id, 1000)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await factors.acceptTotpStep(userId, f.id, 999)).toBe(false);
    expect(await factors.acceptTotpStep(userId, f.id, 1001)).toBe(true);
    expect((await factors.list(userId)).map((x) => x.confirmed)).toEqual([true]);
    // Another user cannot use or read the factor.
    const other = await newUser();
    expect(await factors.acceptTotpStep(other, f.id, 2000)).toBe(false);
    expect(await factors.totpSecret(other, f.id)).toBeNull();
  });

  it('drops an abandoned TOTP enrolment when a new one starts, keeping confirmed ones', async () => {
    const userId = await newUser();
    const a = await factors.addTotp(userId, 'A', 'AAAAAAAAAAAAAAAA');
    await factors.acceptTotpStep(userId, a.id, 1);
    await factors.addTotp(userId, 'B', 'BBBBBBBBBBBBBBBB');
    const c = await factors.addTotp(userId, 'C', 'CCCCCCCCCCCCCCCC');
    expect((await factors.list(userId, { pending: true })).map((x) => x.name)).toEqual(['A', 'C']);
    expect(c.name).toBe('C');
  });

  it('stores passkeys with counter and flags, moves the counter forward once, and removes per user', async () => {
    const userId = await newUser();
    const p = await factors.addPasskey(userId, 'Laptop\u0000', passkey('cred-1'));
    expect(p.name).toBe('Laptop');
    const found = await factors.findPasskey('cred-1');
    expect(found?.passkey).toMatchObject({ signCount: 5, transports: ['internal'], deviceType: 'singleDevice', backedUp: false });
    const raced = await Promise.all([factors.usePasskey(p.id, 5, 6, true), factors.usePasskey(p.id, 5, 7, true)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect((await factors.findPasskey('cred-1'))?.passkey?.backedUp).toBe(true);
    await expect(factors.addPasskey(await newUser(), 'Dup', passkey('cred-1'))).rejects.toThrow();
    expect(await factors.rename(userId, p.id, 'Work laptop')).toBe(true);
    expect(await factors.remove(await newUser(), p.id)).toBeNull();
    expect((await factors.remove(userId, p.id))?.name).toBe('Work laptop');
    expect(await factors.findPasskey('cred-1')).toBeNull();
  });

  it('spends each recovery code once, however it is typed, and counts what remains', async () => {
    const userId = await newUser();
    await codes.replace(userId, ['abcd-efgh-ij', 'klmn-opqr-st']);
    const raced = await Promise.all([codes.use(userId, 'ABCD EFGH IJ'), codes.use(userId, 'abcdefghij')]);
    expect(raced.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(await codes.remaining(userId)).toBe(1);
    expect(await codes.use(userId, 'nope')).toEqual({ ok: false, remaining: 1 });
    expect(await codes.use(await newUser(), 'klmn-opqr-st')).toMatchObject({ ok: false });
    await codes.replace(userId, ['new1-new1-ne']);
    expect(await codes.use(userId, 'klmn-opqr-st')).toEqual({ ok: false, remaining: 1 });
    const stored = await ctx.db.sql.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [userId]);
    expect(stored.map((r) => r.code_hash).join()).not.toContain('new1');
  });

  it('removes everything of a user on reset, and with the user', async () => {
    const userId = await newUser();
    await factors.addPasskey(userId, 'Key', passkey('cred-reset'));
    const t = await factors.addTotp(userId, 'App', 'JBSWY3DPEHPK3PXP');
    await factors.acceptTotpStep(userId, t.id, 5);
    await codes.replace(userId, ['aaaa-bbbb-cc']);
    expect(await factors.removeAll(userId)).toBe(2);
    expect(await codes.removeAll(userId)).toBe(1);
    const gone = await newUser();
    await factors.addPasskey(gone, 'Key', passkey('cred-cascade'));
    await ctx.db.sql.query('DELETE FROM users WHERE id = $1', [gone]);
    expect(await factors.findPasskey('cred-cascade')).toBeNull();
  });

  it('records an admin requirement on the user', async () => {
    const userId = await newUser();
    expect((await users.findById(userId))?.mfaRequired).toBe(false);
    await users.setMfaRequired(userId, true);
    expect((await users.findById(userId))?.mfaRequired).toBe(true);
    expect((await users.findByEmail((await users.findById(userId))!.email))?.mfaRequired).toBe(true);
  });
});
