// Contract of the user store (src/users/user-store.ts), every statement, on
// PostgreSQL and embedded PGlite alike.
import { pbkdf2Sync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { beforeAll, expect, it } from 'vitest';
import { createUserStore, DuplicateEmailError, type UserStore } from '../../../src/users/user-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

forEachBackend('user store contract', (ctx) => {
  let users: UserStore;
  const storedHash = async (id: string) =>
    (await ctx.db.sql.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]))[0]?.password_hash;

  beforeAll(() => {
    users = createUserStore(ctx.db.prisma, ctx.db.sql);
  });

  it('creates a user with defaults and a normalised email, and refuses a duplicate', async () => {
    const u = await users.create({ email: '  Ada@Example.COM ', password: 'correct horse 1' });
    expect(u).toMatchObject({
      email: 'ada@example.com', emailVerified: false, name: null, givenName: null, familyName: null, address: null,
      phoneNumber: null, phoneNumberVerified: false, roles: [], disabled: false,
    });
    expect(u.createdAt).toBeInstanceOf(Date);
    expect(await storedHash(u.id)).toMatch(/^\$argon2id\$/);
    await expect(users.create({ email: 'ADA@example.com', password: 'x' })).rejects.toBeInstanceOf(DuplicateEmailError);
  });

  it('finds by id (only well-formed ids) and by email, with every field', async () => {
    const address = { street_address: '1 Main St', locality: 'Springfield', country: 'US' };
    const u = await users.create({
      email: 'full@example.com', password: 'pw-full-1', name: 'Full Name', givenName: 'Full', familyName: 'Name',
      emailVerified: true, address, phoneNumber: '+1 555 0100', phoneNumberVerified: true, roles: ['admin'],
    });
    const byId = await users.findById(u.id);
    expect(byId).toEqual(u);
    expect(byId).toMatchObject({ address, roles: ['admin'], phoneNumberVerified: true, givenName: 'Full' });
    expect(await users.findByEmail('FULL@example.com ')).toEqual(u);
    expect(await users.findById(UNKNOWN_ID)).toBeNull();
    expect(await users.findById('not-a-uuid')).toBeNull();
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
  });

  it('imports supported hashes as they are and refuses others', async () => {
    const hash = bcrypt.hashSync('imported-pw', 4);
    const u = await users.importHashed({ email: 'imported@example.com', passwordHash: hash, roles: ['r'] });
    expect(await storedHash(u.id)).toBe(hash);
    expect(u.roles).toEqual(['r']);
    await expect(users.importHashed({ email: 'bad@example.com', passwordHash: 'md5$abc' })).rejects.toThrow(/unsupported/);
    expect(await users.findByEmail('bad@example.com')).toBeNull();
  });

  it('lists in creation order with paging and a literal, case-insensitive search', async () => {
    for (const email of ['list_a@x.test', 'listxa@x.test', 'list%b@x.test']) await users.create({ email, password: 'pw' });
    const all = await users.list({ limit: 1000, offset: 0 });
    expect(all.total).toBe(all.items.length);
    const times = all.items.map((u) => u.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await users.list({ q: 'LIST_A', limit: 10, offset: 0 })).items.map((u) => u.email)).toEqual(['list_a@x.test']);
    expect((await users.list({ q: 'list%', limit: 10, offset: 0 })).items.map((u) => u.email)).toEqual(['list%b@x.test']);
    const page = await users.list({ q: 'list', limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.items.map((u) => u.email)).toEqual(['listxa@x.test', 'list%b@x.test']);
    expect(await users.list()).toMatchObject({ total: all.total });
  });

  it('updates fields (clearing the address), refuses a taken email, and misses unknown ids', async () => {
    const u = await users.create({ email: 'upd@example.com', password: 'pw', address: { country: 'DE' }, name: 'Old' });
    const changed = await users.update(u.id, { name: 'New', address: null, email: ' UPD2@example.com', roles: ['a', 'b'], emailVerified: true });
    expect(changed).toMatchObject({ id: u.id, name: 'New', address: null, email: 'upd2@example.com', roles: ['a', 'b'], emailVerified: true });
    expect(await users.findById(u.id)).toEqual(changed);
    await expect(users.update(u.id, { email: 'ada@example.com' })).rejects.toBeInstanceOf(DuplicateEmailError);
    expect(await users.update(UNKNOWN_ID, { name: 'x' })).toBeNull();
    expect(await users.update('nope', { name: 'x' })).toBeNull();
  });

  it('creates and updates mfaRequired with the other fields (admin/user-admin.ts)', async () => {
    const u = await users.create({ email: 'mfa-req@example.com', password: 'pw', mfaRequired: true });
    expect(u.mfaRequired).toBe(true);
    expect((await users.create({ email: 'mfa-default@example.com', password: 'pw' })).mfaRequired).toBe(false);
    expect(await users.update(u.id, { name: 'Kept', mfaRequired: false })).toMatchObject({ name: 'Kept', mfaRequired: false });
    expect((await users.update(u.id, { name: 'Again' }))!.mfaRequired).toBe(false);
  });

  it('authenticates by password, refuses wrong passwords, unknown and disabled users', async () => {
    const u = await users.create({ email: 'auth@example.com', password: 'right-pw-1' });
    expect((await users.authenticate('AUTH@example.com', 'right-pw-1'))?.id).toBe(u.id);
    expect(await users.authenticate('auth@example.com', 'wrong')).toBeNull();
    expect(await users.authenticate('ghost@example.com', 'right-pw-1')).toBeNull();
    expect((await users.setDisabled(u.id, true))?.disabled).toBe(true);
    expect(await users.authenticate('auth@example.com', 'right-pw-1')).toBeNull();
    expect((await users.setDisabled(u.id, false))?.disabled).toBe(false);
    expect(await users.setDisabled(UNKNOWN_ID, true)).toBeNull();
    expect((await users.setPassword(u.id, 'new-pw-2'))?.id).toBe(u.id);
    expect(await users.authenticate('auth@example.com', 'right-pw-1')).toBeNull();
    expect((await users.authenticate('auth@example.com', 'new-pw-2'))?.id).toBe(u.id);
    expect(await users.setPassword(UNKNOWN_ID, 'x')).toBeNull();
  });

  it('rehashes an imported hash to argon2id on the first successful sign-in', async () => {
    const salt = 'contractsalt';
    const django = `pbkdf2_sha256$1000$${salt}$${pbkdf2Sync('legacy-pw', salt, 1000, 32, 'sha256').toString('base64')}`;
    const u = await users.importHashed({ email: 'legacy@example.com', passwordHash: django });
    expect(await users.authenticate('legacy@example.com', 'wrong')).toBeNull();
    expect(await storedHash(u.id)).toBe(django);
    expect((await users.authenticate('legacy@example.com', 'legacy-pw'))?.id).toBe(u.id);
    expect(await storedHash(u.id)).toMatch(/^\$argon2id\$/);
    expect((await users.authenticate('legacy@example.com', 'legacy-pw'))?.id).toBe(u.id);
  });

  it('keeps users across a restart of the store', async () => {
    const db = await ctx.reopen();
    users = createUserStore(db.prisma, db.sql);
    expect(await users.findByEmail('full@example.com')).toMatchObject({ name: 'Full Name', roles: ['admin'] });
  });
});
