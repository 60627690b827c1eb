// src/interaction/csrf.ts: tokens bound to one interaction and one server key.
import { describe, expect, it } from 'vitest';
import { createCsrf } from '../../../src/interaction/csrf.js';

describe('interaction CSRF tokens', () => {
  const csrf = createCsrf('server-key-1');

  it('verifies its own token for the same interaction', () => {
    expect(csrf.verify('uid-1', csrf.token('uid-1'))).toBe(true);
  });

  it('rejects a token of another interaction, another key, a changed or missing value', () => {
    const token = csrf.token('uid-1');
    expect(csrf.verify('uid-2', token)).toBe(false);
    expect(createCsrf('server-key-2').verify('uid-1', token)).toBe(false);
    expect(csrf.verify('uid-1', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrf.verify('uid-1', token.slice(1))).toBe(false);
    for (const bad of [undefined, null, 42, [token], '']) expect(csrf.verify('uid-1', bad)).toBe(false);
  });
});
