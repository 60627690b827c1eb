// The stored form of token values (src/oidc/at-rest.ts): keyed, per model,
// reversible only for the sealed payload fields.
import { describe, expect, it } from 'vitest';
import { createTokensAtRest } from '../../../src/oidc/at-rest.js';

const a = createTokensAtRest('first-master-secret-of-32-characters');
const b = createTokensAtRest('other-master-secret-of-32-characters');

describe('tokens at rest', () => {
  it('hashes ids under the master secret, per model, and keeps grant ids', () => {
    const id = a.storedId('RefreshToken', 'value');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.storedId('RefreshToken', 'value')).toBe(id);
    expect(a.storedId('AccessToken', 'value')).not.toBe(id);
    expect(b.storedId('RefreshToken', 'value')).not.toBe(id);
    expect(a.storedId('Grant', 'grant-1')).toBe('grant-1');
    expect(a.storedUserCode('BCDFGHJK')).not.toContain('BCDFGHJK');
  });

  it('seals credential fields and opens them again; other fields stay readable', () => {
    const payload = { jti: 'j', grantId: 'g', deviceCode: 'd', parJti: 'p', returnTo: 'r', userCode: 'u', session: { uid: 's', cookie: 'c' } };
    const sealed = a.seal(payload);
    expect(sealed).toEqual({ grantId: 'g', session: { uid: 's' }, _sealed: expect.any(String) });
    expect(a.open(sealed)).toEqual(payload);
    expect(() => b.open(sealed)).toThrow();
    expect(a.seal({ accountId: 'x' })).toEqual({ accountId: 'x' });
    expect(a.open({ accountId: 'x' })).toEqual({ accountId: 'x' });
  });
});
