// The input boundary of src/http/input-boundary.ts: NUL and invalid UTF-8 are
// found in query strings (percent-encoded) and parsed JSON bodies, by name.
import { describe, expect, it } from 'vitest';
import { firstBadField, firstBadParameter } from '../../../src/http/input-boundary.js';

describe('input boundary', () => {
  it('names the first query parameter with NUL or invalid UTF-8', () => {
    expect(firstBadParameter('a=1&q=a%00b')).toBe('q');
    expect(firstBadParameter('state=%ff&x=%00')).toBe('state');
    expect(firstBadParameter('%00=1')).toBe('(parameter name)');
    expect(firstBadParameter('scope=openid+email&x=%C3%A9%F0%9F%98%80')).toBeUndefined();
  });

  it('leaves stray percent signs and other odd but valid text to the routes', () => {
    expect(firstBadParameter('a=%zz&b=%&c=100%25&&d')).toBeUndefined();
    expect(firstBadParameter('x=%01%7f')).toBeUndefined();
  });

  it('finds NUL and unpaired surrogates anywhere in a JSON body', () => {
    expect(firstBadField({ name: 'ok', address: { locality: 'a\u0000b' } })).toBe('address.locality');
    expect(firstBadField({ redirect_uris: ['https://a.example/cb', '\ud800'] })).toBe('redirect_uris.1');
    expect(firstBadField('\u0000')).toBe('(body)');
    expect(firstBadField({ 'k\u0000': 1 })).toBe('(key)');
    expect(firstBadField({ name: 'Zoë 😀', n: 1, b: null, t: true })).toBeUndefined();
  });
});
