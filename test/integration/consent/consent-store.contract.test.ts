// Contract of the consent store (src/consent/consent-store.ts), every
// statement, on PostgreSQL and embedded PGlite alike.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createConsentStore, type ConsentStore } from '../../../src/consent/consent-store.js';
import { forEachBackend } from '../../helpers/backends.js';

// User ids are uuids (consents.user_id).
const U1 = randomUUID();
const U2 = randomUUID();
const UF = randomUUID();

forEachBackend('consent store contract', (ctx) => {
  let consents: ConsentStore;
  const sorted = async (userId: string, clientId: string) => [...await consents.scopes(userId, clientId)].sort();

  beforeAll(() => {
    consents = createConsentStore(ctx.db.prisma);
  });

  it('remembers scopes per user and client, merging without duplicates', async () => {
    expect(await sorted(U1, 'c-1')).toEqual([]);
    await consents.remember(U1, 'c-1', ['openid', 'email']);
    await consents.remember(U1, 'c-1', ['profile', 'email']);
    expect(await sorted(U1, 'c-1')).toEqual(['email', 'openid', 'profile']);
    expect(await sorted(U1, 'c-2')).toEqual([]);
    expect(await sorted(U2, 'c-1')).toEqual([]);
  });

  it('forgets one user-client pair only, and forgetting nothing is no error', async () => {
    await consents.remember(UF, 'c-1', ['openid']);
    await consents.remember(UF, 'c-2', ['openid']);
    await consents.forget(UF, 'c-1');
    expect(await sorted(UF, 'c-1')).toEqual([]);
    expect(await sorted(UF, 'c-2')).toEqual(['openid']);
    await expect(consents.forget(UF, 'c-none')).resolves.toBeUndefined();
  });

  it('lists a user\'s consents by client, with their scopes', async () => {
    const U3 = randomUUID();
    expect(await consents.list(U3)).toEqual([]);
    await consents.remember(U3, 'c-b', ['openid', 'email']);
    await consents.remember(U3, 'c-a', ['openid']);
    await consents.remember(U2, 'c-z', ['openid']);
    expect(await consents.list(U3)).toEqual([{ clientId: 'c-a', scopes: ['openid'] }, { clientId: 'c-b', scopes: ['email', 'openid'] }]);
  });

  it('keeps consents across a restart of the store', async () => {
    const db = await ctx.reopen();
    consents = createConsentStore(db.prisma);
    expect(await sorted(U1, 'c-1')).toEqual(['email', 'openid', 'profile']);
  });
});
