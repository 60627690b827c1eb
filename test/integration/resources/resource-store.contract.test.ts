// Contract of the resource-server store (src/resources/resource-store.ts),
// every statement, on PostgreSQL and embedded PGlite alike.
import { beforeAll, expect, it } from 'vitest';
import { createResourceStore, type ResourceStore } from '../../../src/resources/resource-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const API = { indicator: 'https://api.example/', name: 'API', scopes: ['read', 'write'], accessTokenTtl: 600 };

forEachBackend('resource store contract', (ctx) => {
  let resources: ResourceStore;

  beforeAll(() => {
    resources = createResourceStore(ctx.db.prisma);
  });

  it('creates and finds a resource server; an unknown or unstorable indicator is none', async () => {
    expect(await resources.create(API)).toEqual(API);
    expect(await resources.find(API.indicator)).toEqual(API);
    expect(await resources.find('https://nope.example/')).toBeNull();
    expect(await resources.find('https://x\u0000.example/')).toBeNull();
    await expect(resources.create(API)).rejects.toThrow();
  });

  it('ensures a resource server: creates it, or resets name and scopes but keeps the TTL', async () => {
    const other = { indicator: 'urn:example:other', name: 'Other', scopes: ['a'], accessTokenTtl: null };
    expect(await resources.ensure(other)).toEqual(other);
    expect(await resources.ensure({ ...API, name: 'Renamed', scopes: ['read'], accessTokenTtl: 30 }))
      .toEqual({ ...API, name: 'Renamed', scopes: ['read'], accessTokenTtl: 600 });
  });

  it('lists in creation order', async () => {
    expect((await resources.list()).map((r) => r.indicator)).toEqual([API.indicator, 'urn:example:other']);
  });

  it('keeps resource servers across a restart of the store', async () => {
    const db = await ctx.reopen();
    resources = createResourceStore(db.prisma);
    expect(await resources.find('urn:example:other')).toMatchObject({ name: 'Other' });
  });
});
