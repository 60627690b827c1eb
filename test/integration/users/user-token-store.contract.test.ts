// Contract of the email-link store (src/users/user-token-store.ts) on
// PostgreSQL and embedded PGlite: signed values, stored hashed, single use
// under concurrency, expiry, purpose binding, replacement and revocation.
import { beforeAll, expect, it } from 'vitest';
import { createUserTokenStore, type UserTokenStore } from '../../../src/users/user-token-store.js';
import { createUserStore, type UserStore } from '../../../src/users/user-store.js';
import { deriveKey } from '../../../src/crypto/secret-box.js';
import { forEachBackend } from '../../helpers/backends.js';

forEachBackend('user token store contract', (ctx) => {
  let tokens: UserTokenStore;
  let users: UserStore;
  const newUser = async () => (await users.create({ email: `t${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery' })).id;

  beforeAll(() => {
    tokens = createUserTokenStore(ctx.db.prisma, deriveKey(ctx.secret, 'user-tokens'));
    users = createUserStore(ctx.db.prisma, ctx.db.sql);
  });

  it('redeems a link once, even when two requests race, and stores only a hash', async () => {
    const userId = await newUser();
    const { token, expiresAt } = await tokens.issue(userId, 'verify-email', 'a@example.com', 600);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect(await tokens.peek('verify-email', token)).toEqual({ userId, email: 'a@example.com' });
    const raced = await Promise.all([tokens.redeem('verify-email', token), tokens.redeem('verify-email', token)]);
    expect(raced.filter(Boolean)).toEqual([{ userId, email: 'a@example.com' }]);
    expect(await tokens.peek('verify-email', token)).toBeNull();
    const rows = await ctx.db.sql.query<{ token_hash: string }>('SELECT token_hash FROM user_tokens WHERE user_id = $1', [userId]);
    expect(rows.map((r) => r.token_hash).join()).not.toContain(token.split('.')[0]!);
  });

  it('refuses forged, truncated, other-purpose and expired links', async () => {
    const userId = await newUser();
    const { token } = await tokens.issue(userId, 'reset-password', 'b@example.com', 600);
    const [random, sig] = token.split('.') as [string, string];
    expect(await tokens.redeem('reset-password', `${random}.${sig.slice(0, -2)}AA`)).toBeNull();
    expect(await tokens.redeem('reset-password', random)).toBeNull();
    expect(await tokens.redeem('reset-password', `${token}.x`)).toBeNull();
    expect(await tokens.redeem('verify-email', token)).toBeNull();
    expect(await tokens.redeem('reset-password', '')).toBeNull();
    const short = await tokens.issue(userId, 'change-email', 'c@example.com', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await tokens.redeem('change-email', short.token)).toBeNull();
    expect(await tokens.redeem('reset-password', token)).toMatchObject({ userId });
  });

  it('a new link voids the earlier one of the same purpose; revokeAll voids the rest', async () => {
    const userId = await newUser();
    const first = await tokens.issue(userId, 'reset-password', 'd@example.com', 600);
    const second = await tokens.issue(userId, 'reset-password', 'd@example.com', 600);
    const verify = await tokens.issue(userId, 'verify-email', 'd@example.com', 600);
    expect(await tokens.peek('reset-password', first.token)).toBeNull();
    expect(await tokens.peek('reset-password', second.token)).not.toBeNull();
    expect(await tokens.revokeAll(userId, 'reset-password')).toBe(1);
    expect(await tokens.peek('reset-password', second.token)).toBeNull();
    expect(await tokens.peek('verify-email', verify.token)).not.toBeNull();
    expect(await tokens.revokeAll(userId)).toBe(1);
    expect(await tokens.redeem('verify-email', verify.token)).toBeNull();
    expect(await tokens.revokeAll('not-a-uuid')).toBe(0);
  });

  it('sweeps expired links', async () => {
    const userId = await newUser();
    await tokens.issue(userId, 'verify-email', 'e@example.com', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await tokens.sweep(new Date())).toBeGreaterThanOrEqual(1);
  });
});
