// Contract of the oidc-object store (src/oidc/oidc-object-store.ts), every
// statement, on PostgreSQL and embedded PGlite alike.
import { beforeAll, expect, it } from 'vitest';
import { createTokensAtRest } from '../../../src/oidc/at-rest.js';
import { createOidcObjectStore, type OidcObjectStore } from '../../../src/oidc/oidc-object-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const inAnHour = () => new Date(Date.now() + 3600_000);
const anHourAgo = () => new Date(Date.now() - 3600_000);

forEachBackend('oidc-object store contract', (ctx) => {
  let objects: OidcObjectStore;
  const ids = async (where: string, params: unknown[] = []) =>
    (await ctx.db.sql.query<{ model: string; id: string }>(`SELECT model, id FROM oidc_objects WHERE ${where} ORDER BY model, id`, params))
      .map((r) => `${r.model}:${r.id}`);

  beforeAll(() => {
    objects = createOidcObjectStore(ctx.db.sql, createTokensAtRest(ctx.secret));
  });

  it('upserts, overwrites and finds by id, uid and user code; models are apart', async () => {
    await objects.upsert('AccessToken', 'at-1', { jti: 'at-1', grantId: 'g-1', accountId: 'u-1' }, inAnHour());
    await objects.upsert('AccessToken', 'at-1', { jti: 'at-1', grantId: 'g-1', accountId: 'u-2' }, inAnHour());
    expect((await objects.find('AccessToken', 'at-1'))?.payload).toMatchObject({ jti: 'at-1', accountId: 'u-2' });
    expect(await objects.find('RefreshToken', 'at-1')).toBeUndefined();
    expect(await objects.find('AccessToken', 'missing')).toBeUndefined();
    await objects.upsert('Session', 'sess-cookie', { jti: 'sess-cookie', uid: 'uid-1', accountId: 'u-1' }, inAnHour());
    expect((await objects.findByUid('Session', 'uid-1'))?.payload).toMatchObject({ jti: 'sess-cookie', accountId: 'u-1' });
    expect(await objects.findByUid('Interaction', 'uid-1')).toBeUndefined();
    expect(await objects.findByUid('Session', 'uid\u0000-1')).toBeUndefined();
    await objects.upsert('DeviceCode', 'dc-1', { jti: 'dc-1', userCode: 'ABCD-WXYZ', grantId: 'g-dc' }, inAnHour());
    expect((await objects.findByUserCode('DeviceCode', 'ABCD-WXYZ'))?.payload).toMatchObject({ jti: 'dc-1', grantId: 'g-dc' });
    expect(await objects.findByUserCode('DeviceCode', 'ABCD-XXXX')).toBeUndefined();
  });

  it('reports expiry and consumption as stored (the adapter decides what they mean)', async () => {
    const expiresAt = new Date(Date.now() - 1000);
    await objects.upsert('AuthorizationCode', 'code-1', { jti: 'code-1' }, expiresAt);
    const found = await objects.find('AuthorizationCode', 'code-1');
    expect(found?.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(found?.consumedAt).toBeNull();
    const at = new Date(Date.now() - 5000);
    await objects.consume('AuthorizationCode', 'code-1', at);
    expect((await objects.find('AuthorizationCode', 'code-1'))?.consumedAt?.getTime()).toBe(at.getTime());
    await objects.upsert('ReplayDetection', 'forever', { iss: 'x' }, null);
    expect((await objects.find('ReplayDetection', 'forever'))?.expiresAt).toBeNull();
  });

  it('destroys one object, and deletes what a grant issued without the grant itself', async () => {
    await objects.upsert('Grant', 'g-del', { accountId: 'u-del', clientId: 'c-del' }, inAnHour());
    await objects.upsert('AccessToken', 'del-1', { grantId: 'g-del' }, inAnHour());
    await objects.upsert('RefreshToken', 'del-2', { grantId: 'g-del' }, inAnHour());
    await objects.upsert('AccessToken', 'del-3', { grantId: 'g-keep' }, inAnHour());
    await objects.destroy('AccessToken', 'del-3');
    expect(await objects.find('AccessToken', 'del-3')).toBeUndefined();
    await objects.deleteByGrantId('g-del');
    expect(await objects.find('AccessToken', 'del-1')).toBeUndefined();
    expect(await objects.find('RefreshToken', 'del-2')).toBeUndefined();
    expect(await objects.find('Grant', 'g-del')).toBeDefined();
    await expect(objects.destroy('AccessToken', 'x\u0000')).resolves.toBeUndefined();
  });

  it('consumes a refresh token once, again within grace, and reports reuse after it', async () => {
    await objects.upsert('RefreshToken', 'rt-1', { jti: 'rt-1', grantId: 'g-rt' }, inAnHour());
    const t0 = new Date(Date.now() - 10_000);
    expect(await objects.consumeRefresh('rt-1', t0, new Date(t0.getTime() - 5000))).toEqual({ consumed: true, grantId: 'g-rt' });
    // Within grace: still "consumed" by this call, and the first time is kept.
    expect(await objects.consumeRefresh('rt-1', new Date(), new Date(t0.getTime() - 1000))).toEqual({ consumed: true, grantId: 'g-rt' });
    expect((await objects.find('RefreshToken', 'rt-1'))?.consumedAt?.getTime()).toBe(t0.getTime());
    // Consumed before the grace window: reuse.
    expect(await objects.consumeRefresh('rt-1', new Date(), new Date(t0.getTime() + 1000))).toEqual({ consumed: false, grantId: 'g-rt' });
    expect(await objects.consumeRefresh('rt-missing', new Date(), new Date())).toBeUndefined();
    // No grace window: a consumed token is never consumed again, even by a
    // request whose clock reads earlier than the first consume.
    expect(await objects.consumeRefresh('rt-1', new Date(t0.getTime() - 1000), null)).toEqual({ consumed: false, grantId: 'g-rt' });
    await objects.upsert('RefreshToken', 'rt-2', { jti: 'rt-2', grantId: 'g-rt' }, inAnHour());
    expect(await objects.consumeRefresh('rt-2', t0, null)).toEqual({ consumed: true, grantId: 'g-rt' });
  });

  it('revokes whole families: the grants and everything issued under them, nothing else', async () => {
    for (const g of ['f-1', 'f-2', 'f-3']) {
      await objects.upsert('Grant', g, { accountId: 'u-f' }, inAnHour());
      await objects.upsert('AccessToken', `at-${g}`, { grantId: g }, inAnHour());
      await objects.upsert('RefreshToken', `rt-${g}`, { grantId: g }, inAnHour());
    }
    await objects.revokeFamilies(['f-1', 'f-2']);
    await objects.revokeFamilies([]);
    expect(await ids(`grant_id LIKE 'f-%' OR (model = 'Grant' AND id LIKE 'f-%')`)).toEqual(
      (await ids(`grant_id = 'f-3' OR (model = 'Grant' AND id = 'f-3')`)));
    expect(await ids(`model = 'Grant' AND id LIKE 'f-%'`)).toEqual(['Grant:f-3']);
    expect(await objects.find('AccessToken', 'at-f-3')).toBeDefined();
  });

  it('lists an account\'s live sessions, all or by uid', async () => {
    await objects.upsert('Session', 'ls-a', { uid: 'ls-uid-a', accountId: 'u-ls', authorizations: { c: { sid: 's' } } }, inAnHour());
    await objects.upsert('Session', 'ls-b', { uid: 'ls-uid-b', accountId: 'u-ls' }, null);
    await objects.upsert('Session', 'ls-old', { uid: 'ls-uid-old', accountId: 'u-ls' }, anHourAgo());
    await objects.upsert('Session', 'ls-other', { uid: 'ls-uid-other', accountId: 'u-other' }, inAnHour());
    await objects.upsert('Grant', 'ls-grant', { accountId: 'u-ls' }, inAnHour());
    const uids = (rows: Array<{ payload: Record<string, unknown> }>) => rows.map((r) => r.payload.uid).sort();
    expect(uids(await objects.liveSessions('u-ls', new Date()))).toEqual(['ls-uid-a', 'ls-uid-b']);
    const [one] = await objects.liveSessions('u-ls', new Date(), 'ls-uid-a');
    expect(one?.payload).toMatchObject({ authorizations: { c: { sid: 's' } } });
    expect(one?.expiresAt).toBeInstanceOf(Date);
    expect(await objects.liveSessions('u-ls', new Date(), 'ls-uid-old')).toEqual([]);
    expect(await objects.liveSessions('u-ls', new Date(), 'ls-uid-other')).toEqual([]);
    expect(await objects.liveSessions('u-ls\u0000', new Date())).toEqual([]);
  });

  it('revokes one session and the families of the grants it authorised', async () => {
    await objects.upsert('Grant', 'rs-g1', { accountId: 'u-rs' }, inAnHour());
    await objects.upsert('Grant', 'rs-g2', { accountId: 'u-rs' }, inAnHour());
    await objects.upsert('AccessToken', 'rs-at1', { grantId: 'rs-g1', accountId: 'u-rs' }, inAnHour());
    await objects.upsert('AccessToken', 'rs-at2', { grantId: 'rs-g2', accountId: 'u-rs' }, inAnHour());
    await objects.upsert('Session', 'rs-s1', { uid: 'rs-uid-1', accountId: 'u-rs', authorizations: { c1: { grantId: 'rs-g1', sid: 'x' }, c2: {} } }, inAnHour());
    await objects.upsert('Session', 'rs-s2', { uid: 'rs-uid-2', accountId: 'u-rs', authorizations: { c1: { grantId: 'rs-g2' } } }, inAnHour());
    expect(await objects.revokeSession('u-other', 'rs-uid-1')).toBe(false);
    expect(await objects.revokeSession('u-rs', 'rs-uid-missing')).toBe(false);
    expect(await objects.revokeSession('u-rs', 'rs-uid-1')).toBe(true);
    expect(await objects.findByUid('Session', 'rs-uid-1')).toBeUndefined();
    expect(await objects.find('Grant', 'rs-g1')).toBeUndefined();
    expect(await objects.find('AccessToken', 'rs-at1')).toBeUndefined();
    expect(await objects.findByUid('Session', 'rs-uid-2')).toBeDefined();
    expect(await objects.find('Grant', 'rs-g2')).toBeDefined();
    expect(await objects.find('AccessToken', 'rs-at2')).toBeDefined();
    expect(await objects.revokeSession('u-rs', 'rs-uid-1')).toBe(false);
  });

  it('revokes an account: every object carrying it, counting the live sessions', async () => {
    await objects.upsert('Session', 'ra-s1', { uid: 'ra-1', accountId: 'u-ra' }, inAnHour());
    await objects.upsert('Session', 'ra-s2', { uid: 'ra-2', accountId: 'u-ra' }, null);
    await objects.upsert('Session', 'ra-old', { uid: 'ra-3', accountId: 'u-ra' }, anHourAgo());
    await objects.upsert('Grant', 'ra-g', { accountId: 'u-ra' }, inAnHour());
    await objects.upsert('AccessToken', 'ra-at', { accountId: 'u-ra', grantId: 'ra-g' }, inAnHour());
    await objects.upsert('AccessToken', 'ra-keep', { accountId: 'u-ra-2' }, inAnHour());
    expect(await objects.revokeAccount('u-ra', new Date())).toBe(2);
    expect(await ids(`payload -> 'accountId' = '"u-ra"'::jsonb`)).toEqual([]);
    expect(await objects.find('AccessToken', 'ra-keep')).toBeDefined();
    expect(await objects.revokeAccount('u-ra', new Date())).toBe(0);
  });

  it('revokes a client: its objects and the families of its grants', async () => {
    await objects.upsert('Grant', 'rc-g', { clientId: 'c-rc', accountId: 'u-rc' }, inAnHour());
    await objects.upsert('AccessToken', 'rc-at', { grantId: 'rc-g' }, inAnHour());
    await objects.upsert('RegistrationAccessToken', 'rc-rat', { clientId: 'c-rc' }, inAnHour());
    await objects.upsert('Grant', 'rc-other', { clientId: 'c-other', accountId: 'u-rc' }, inAnHour());
    await objects.upsert('AccessToken', 'rc-other-at', { grantId: 'rc-other', clientId: 'c-other' }, inAnHour());
    expect(await objects.revokeClient('c-rc')).toBe(3);
    expect(await objects.find('Grant', 'rc-g')).toBeUndefined();
    expect(await objects.find('AccessToken', 'rc-at')).toBeUndefined();
    expect(await objects.find('RegistrationAccessToken', 'rc-rat')).toBeUndefined();
    expect(await objects.find('Grant', 'rc-other')).toBeDefined();
    expect(await objects.find('AccessToken', 'rc-other-at')).toBeDefined();
  });

  it('lists an account\'s live grants and revokes one account\'s side of a client, and every refresh token of an account', async () => {
    await objects.upsert('Grant', 'g-ac-1', { accountId: 'u-ac', clientId: 'c-ac', openid: { scope: 'openid email' } }, inAnHour());
    await objects.upsert('Grant', 'g-ac-2', { accountId: 'u-ac', clientId: 'c-other' }, inAnHour());
    await objects.upsert('Grant', 'g-ac-old', { accountId: 'u-ac', clientId: 'c-ac' }, anHourAgo());
    await objects.upsert('Grant', 'g-ac-3', { accountId: 'u-someone', clientId: 'c-ac' }, inAnHour());
    await objects.upsert('RefreshToken', 'rt-ac-1', { grantId: 'g-ac-1', accountId: 'u-ac', clientId: 'c-ac' }, inAnHour());
    await objects.upsert('AccessToken', 'at-ac-x', { accountId: 'u-ac', clientId: 'c-ac' }, inAnHour()); // no grant id: matched by both ids
    await objects.upsert('RefreshToken', 'rt-ac-2', { grantId: 'g-ac-2', accountId: 'u-ac', clientId: 'c-other' }, inAnHour());
    await objects.upsert('RefreshToken', 'rt-ac-3', { grantId: 'g-ac-3', accountId: 'u-someone', clientId: 'c-ac' }, inAnHour());
    expect((await objects.accountGrants('u-ac', new Date())).map((r) => r.payload.clientId).sort()).toEqual(['c-ac', 'c-other']);
    expect(await objects.accountGrants('u\u0000', new Date())).toEqual([]);
    expect(await objects.revokeAccountClient('u-ac', 'c-ac')).toBe(4); // both grants of u-ac for c-ac, the refresh and the access token
    for (const [model, id] of [['Grant', 'g-ac-1'], ['RefreshToken', 'rt-ac-1'], ['AccessToken', 'at-ac-x']]) expect(await objects.find(model!, id!)).toBeUndefined();
    for (const [model, id] of [['Grant', 'g-ac-2'], ['RefreshToken', 'rt-ac-2'], ['Grant', 'g-ac-3'], ['RefreshToken', 'rt-ac-3']]) expect(await objects.find(model!, id!)).toBeDefined();
    expect(await objects.revokeAccountRefresh('u-ac')).toBe(1);
    expect(await objects.find('RefreshToken', 'rt-ac-2')).toBeUndefined();
    expect(await objects.find('Grant', 'g-ac-2')).toBeDefined();
    expect(await objects.revokeAccountClient('u\u0000', 'c-ac')).toBe(0);
  });

  it('sweeps expired objects only, and keeps the rest across a restart', async () => {
    await objects.upsert('AccessToken', 'sw-old', { grantId: 'g-sw' }, anHourAgo());
    await objects.upsert('AccessToken', 'sw-live', { grantId: 'g-sw' }, inAnHour());
    expect(await objects.sweepExpired(new Date())).toBeGreaterThanOrEqual(1);
    expect(await ids(`expires_at < now()`)).toEqual([]);
    expect(await objects.sweepExpired(new Date())).toBe(0);
    const db = await ctx.reopen();
    objects = createOidcObjectStore(db.sql, createTokensAtRest(ctx.secret));
    expect(await objects.find('AccessToken', 'sw-live')).toBeDefined();
  });
});
