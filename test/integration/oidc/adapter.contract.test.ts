// The oidc-provider Adapter contract, run against every storage backend
// (STYLE.md principle 4): same behaviour on PostgreSQL and embedded PGlite.
import { describe, expect, it } from 'vitest';
import { objectAdapter } from '../../../src/oidc/adapter.js';
import { createLogger } from '../../../src/http/logger.js';
import { BACKENDS } from '../../helpers/databases.js';
import { useServices } from '../../helpers/fixture.js';

const quiet = createLogger('silent');

describe.each(BACKENDS)('oidc adapter contract on %s', (backend) => {
  const fixture = useServices({ backend, logger: quiet });
  const adapter = (model: string) => objectAdapter(fixture.services.stores.oidcObjects, model);

  it('upserts and finds a payload, and overwrites on upsert', async () => {
    const a = adapter('AccessToken');
    await a.upsert('at1', { jti: 'at1', grantId: 'g1', accountId: 'u1', kind: 'AccessToken' }, 60);
    expect(await a.find('at1')).toMatchObject({ jti: 'at1', grantId: 'g1', accountId: 'u1' });
    await a.upsert('at1', { jti: 'at1', grantId: 'g1', accountId: 'u2' }, 60);
    expect((await a.find('at1'))?.accountId).toBe('u2');
    expect(await a.find('missing')).toBeUndefined();
  });

  it('keeps models apart: the same id in two models is two objects', async () => {
    await adapter('Session').upsert('same', { uid: 's-uid', accountId: 'a' }, 60);
    await adapter('Interaction').upsert('same', { uid: 'i-uid' }, 60);
    expect((await adapter('Session').find('same'))?.uid).toBe('s-uid');
    expect((await adapter('Interaction').find('same'))?.uid).toBe('i-uid');
  });

  it('treats an expired object as absent and sweeps it', async () => {
    const a = adapter('AuthorizationCode');
    await a.upsert('short', { jti: 'short', grantId: 'g-exp' }, 1);
    expect(await a.find('short')).toMatchObject({ jti: 'short', grantId: 'g-exp' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await a.find('short')).toBeUndefined();
    expect(await fixture.services.stores.oidcObjects.sweepExpired(new Date())).toBeGreaterThanOrEqual(1);
    const left = await fixture.services.db.prisma.oidcObject.count({ where: { model: 'AuthorizationCode', grantId: 'g-exp' } });
    expect(left).toBe(0);
  });

  it('finds sessions by uid and device codes by user code', async () => {
    await adapter('Session').upsert('sess1', { uid: 'uid-123', accountId: 'acc' }, 60);
    expect((await adapter('Session').findByUid('uid-123'))?.accountId).toBe('acc');
    expect(await adapter('Session').findByUid('nope')).toBeUndefined();
    await adapter('DeviceCode').upsert('dc1', { userCode: 'ABCD-EFGH', grantId: 'g2' }, 60);
    expect((await adapter('DeviceCode').findByUserCode('ABCD-EFGH'))?.grantId).toBe('g2');
  });

  it('marks consumed objects with a consumed timestamp', async () => {
    const a = adapter('AuthorizationCode');
    await a.upsert('code1', { jti: 'code1', grantId: 'g3' }, 60);
    expect((await a.find('code1'))?.consumed).toBeUndefined();
    const before = Math.floor(Date.now() / 1000);
    await a.consume('code1');
    const consumed = (await a.find('code1'))?.consumed as number;
    expect(consumed).toBeGreaterThanOrEqual(before - 1);
  });

  it('destroys one object and revokes everything under a grant', async () => {
    await adapter('AccessToken').upsert('x1', { grantId: 'g-rev' }, 60);
    await adapter('RefreshToken').upsert('x2', { grantId: 'g-rev' }, 60);
    await adapter('AccessToken').upsert('x3', { grantId: 'g-other' }, 60);
    await adapter('AccessToken').destroy('x3');
    expect(await adapter('AccessToken').find('x3')).toBeUndefined();
    await adapter('AccessToken').revokeByGrantId('g-rev');
    expect(await adapter('AccessToken').find('x1')).toBeUndefined();
    expect(await adapter('RefreshToken').find('x2')).toBeUndefined();
  });

  it('stores credentials hashed and sealed: no stored id or payload holds the value', async () => {
    const rows = async (model: string) =>
      fixture.services.db.sql.query<{ id: string; payload: unknown; user_code: string | null; uid: string | null }>(
        'SELECT id, payload, user_code, uid FROM oidc_objects WHERE model = $1', [model]);
    await adapter('RefreshToken').upsert('rt-secret-value', { jti: 'rt-secret-value', grantId: 'g-h', kind: 'RefreshToken' }, 60);
    await adapter('DeviceCode').upsert('dc-secret-value', { jti: 'dc-secret-value', userCode: 'WXYZ-QRST', grantId: 'g-h' }, 60);
    await adapter('Interaction').upsert('int-secret-value', {
      jti: 'int-secret-value', deviceCode: 'dc-secret-value', parJti: 'par-secret-value', returnTo: 'https://op.example/auth/int-secret-value',
      session: { accountId: 'acc', uid: 'sess-uid', cookie: 'cookie-secret-value' },
    }, 60);
    const dump = JSON.stringify([...await rows('RefreshToken'), ...await rows('DeviceCode'), ...await rows('Interaction')]);
    for (const secret of ['rt-secret-value', 'dc-secret-value', 'WXYZ-QRST', 'int-secret-value', 'par-secret-value', 'cookie-secret-value']) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).toContain('sess-uid'); // uids and grant ids are not credentials and stay searchable
    expect(await adapter('RefreshToken').find('rt-secret-value')).toMatchObject({ jti: 'rt-secret-value', grantId: 'g-h' });
    expect(await adapter('DeviceCode').findByUserCode('WXYZ-QRST')).toMatchObject({ jti: 'dc-secret-value', userCode: 'WXYZ-QRST' });
    expect(await adapter('Interaction').find('int-secret-value')).toMatchObject({
      deviceCode: 'dc-secret-value', parJti: 'par-secret-value', returnTo: 'https://op.example/auth/int-secret-value', session: { uid: 'sess-uid', cookie: 'cookie-secret-value' },
    });
    // The stored id itself is no value: looking it up finds nothing.
    const [stored] = await rows('RefreshToken');
    expect(await adapter('RefreshToken').find(stored!.id)).toBeUndefined();
  });

  it('stores objects without expiry (e.g. clients of other kinds) indefinitely', async () => {
    await adapter('ReplayDetection').upsert('forever', { iss: 'x' }, undefined as unknown as number);
    expect(await adapter('ReplayDetection').find('forever')).toMatchObject({ iss: 'x' });
  });

  it('keeps stored objects across a restart of the store', async () => {
    await adapter('Grant').upsert('grant-keep', { accountId: 'u', clientId: 'c' }, 3600);
    await fixture.reopen();
    expect(await adapter('Grant').find('grant-keep')).toMatchObject({ accountId: 'u', clientId: 'c' });
  });
});
