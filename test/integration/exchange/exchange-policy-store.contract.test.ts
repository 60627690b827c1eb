// Contract of the token-exchange policy store
// (src/exchange/exchange-policy-store.ts), every statement, on PostgreSQL and
// embedded PGlite alike.
import { beforeAll, expect, it } from 'vitest';
import { createExchangePolicyStore, type ExchangePolicy, type ExchangePolicyStore } from '../../../src/exchange/exchange-policy-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const policy = (clientId: string): ExchangePolicy => ({
  clientId, audiences: ['https://api.example/'], subjectAudiences: [], mayImpersonate: false, maxTtl: 300,
  allowRefreshTokenSubject: false, allowIdTokenSubject: true,
});

forEachBackend('exchange policy store contract', (ctx) => {
  let policies: ExchangePolicyStore;

  beforeAll(async () => {
    policies = createExchangePolicyStore(ctx.db.prisma);
    // A policy belongs to a client (foreign key, deleted with it).
    for (const id of ['ex-1', 'ex-2']) await ctx.db.prisma.client.create({ data: { id, name: id, metadata: {} } });
  });

  it('sets, reads and replaces a client\'s policy', async () => {
    expect(await policies.get('ex-1')).toBeNull();
    expect(await policies.set(policy('ex-1'))).toEqual(policy('ex-1'));
    const changed = { ...policy('ex-1'), audiences: [], mayImpersonate: true, maxTtl: null, subjectAudiences: ['urn:x'] };
    expect(await policies.set(changed)).toEqual(changed);
    expect(await policies.get('ex-1')).toEqual(changed);
    expect(await policies.get('ex\u0000')).toBeNull();
  });

  it('refuses a policy for a client that does not exist', async () => {
    await expect(policies.set(policy('ex-missing'))).rejects.toThrow();
  });

  it('removes a policy, reporting whether there was one', async () => {
    await policies.set(policy('ex-2'));
    expect(await policies.remove('ex-2')).toBe(true);
    expect(await policies.remove('ex-2')).toBe(false);
    expect(await policies.get('ex-2')).toBeNull();
  });

  it('drops the policy with its client, and keeps the rest across a restart', async () => {
    const db = await ctx.reopen();
    policies = createExchangePolicyStore(db.prisma);
    expect(await policies.get('ex-1')).toMatchObject({ mayImpersonate: true });
    await db.prisma.client.delete({ where: { id: 'ex-1' } });
    expect(await policies.get('ex-1')).toBeNull();
  });
});
