// Contract of the signing-key store (src/keys/key-store.ts), every statement,
// on PostgreSQL and embedded PGlite alike. Time moves through maintain()'s and
// rotate()'s `now` argument.
import { beforeAll, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/crypto/secret-box.js';
import { createKeyStore, KEY_CHANNEL, type KeyStore, type PrivateJwk } from '../../../src/keys/key-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const POLICY = { intervalSeconds: 100, publishAheadSeconds: 10, retireSeconds: 50 };
const summary = (jwks: PrivateJwk[]) => jwks.map((k) => `${k.alg}${k.key_ops ? ':verify' : ''}`);

forEachBackend('key store contract', (ctx) => {
  let keys: KeyStore;
  /** When the first keys became active: the clock of the scenario below. */
  let t0 = 0;
  const statuses = async () => (await keys.list()).map((k) => `${k.alg}:${k.status}`).sort();

  beforeAll(() => {
    keys = createKeyStore(ctx.db.prisma, createSecretBox(ctx.secret, 'signing-keys'), POLICY);
  });

  it('creates one active key per algorithm once, private parts sealed', async () => {
    const first = await keys.ensureKeys();
    t0 = Math.max(...(await keys.list()).map((k) => k.activatesAt.getTime()));
    expect(summary(first)).toEqual(['RS256', 'ES256']);
    expect(first.every((k) => typeof k.d === 'string')).toBe(true);
    expect((await keys.ensureKeys()).map((k) => k.kid)).toEqual(first.map((k) => k.kid));
    const [row] = await ctx.db.sql.query<{ private_jwk: string }>('SELECT private_jwk_encrypted AS private_jwk FROM signing_keys LIMIT 1');
    expect(row!.private_jwk).not.toContain(first[0]!.d!);
  });

  it('publishes a next key when the active one is due, activates it, then removes the retired one', async () => {
    await keys.maintain(t0 + 101_000);
    expect(await statuses()).toEqual(['ES256:active', 'ES256:next', 'RS256:active', 'RS256:next']);
    expect(summary(await keys.loadPublished())).toEqual(['RS256', 'ES256', 'RS256:verify', 'ES256:verify']);
    await keys.maintain(t0 + 112_000);
    expect(await statuses()).toEqual(['ES256:active', 'ES256:retired', 'RS256:active', 'RS256:retired']);
    expect((await keys.list()).filter((k) => k.status === 'retired').every((k) => k.retiredAt?.getTime() === t0 + 112_000)).toBe(true);
    await keys.maintain(t0 + 163_000);
    expect(await statuses()).toEqual(['ES256:active', 'RS256:active']);
  });

  it('stages a rotation (replacing a staged one) and rotates at once on demand', async () => {
    const staged = await keys.rotate(false, t0 + 170_000);
    const again = await keys.rotate(false, t0 + 170_000);
    expect(await statuses()).toEqual(['ES256:active', 'ES256:next', 'RS256:active', 'RS256:next']);
    expect((await keys.list()).map((k) => k.kid)).not.toContain(staged[0]);
    const now = await keys.rotate(true, t0 + 171_000);
    expect((await keys.list()).filter((k) => k.status === 'active').map((k) => k.kid).sort()).toEqual([...now].sort());
    expect((await keys.list()).map((k) => k.kid)).not.toEqual(expect.arrayContaining(again));
  });

  it('notifies listeners of a change', async () => {
    let notified = 0;
    const stop = await ctx.db.listen(KEY_CHANNEL, { onNotify: () => notified++ });
    const before = notified;
    await keys.rotate(false, t0 + 180_000);
    for (let i = 0; i < 50 && notified === before; i++) await new Promise((r) => setTimeout(r, 100));
    await stop();
    expect(notified).toBeGreaterThan(before);
  });

  it('keeps the keys across a restart of the store', async () => {
    const kids = (await keys.loadPublished()).map((k) => k.kid);
    const db = await ctx.reopen();
    keys = createKeyStore(db.prisma, createSecretBox(ctx.secret, 'signing-keys'), POLICY);
    expect((await keys.loadPublished()).map((k) => k.kid)).toEqual(kids);
  });
});
