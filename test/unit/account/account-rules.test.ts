// The account pages' pure rules: which return paths are allowed after sign-in
// (never an open redirect), when a sign-in is recent enough for a change, and
// how a passkey's backup flags read on the page.
import { describe, expect, it } from 'vitest';
import { safeAccountPath, signedInRecently } from '../../../src/account/account-session.js';
import { factorView } from '../../../src/account/factor-view.js';
import type { Factor } from '../../../src/mfa/factor-store.js';

describe('account rules', () => {
  it('returns only to /account paths', () => {
    for (const ok of ['/account', '/account/security', '/account/security?notice=renamed']) expect(safeAccountPath(ok)).toBe(ok);
    for (const bad of ['https://evil.example/', '//evil.example', '/admin', '/account/../admin', '/account//evil', '/accounts', 42, undefined]) {
      expect(safeAccountPath(bad)).toBe('/account');
    }
  });

  it('counts a sign-in as recent up to and including the limit', () => {
    expect(signedInRecently({ authTime: 1000 }, 600, 1600)).toBe(true);
    expect(signedInRecently({ authTime: 1000 }, 600, 1601)).toBe(false);
    // No auth_time in the ID token reads as 0: never recent.
    expect(signedInRecently({ authTime: 0 }, 600, 1601)).toBe(false);
  });

  it('says whether a passkey is synced, eligible but not synced, or bound to one device', () => {
    const base: Factor = {
      id: 'f', userId: 'u', kind: 'passkey', name: 'Key', confirmed: true, createdAt: new Date('2026-12-01T10:00:00Z'), lastUsedAt: null,
      passkey: { credentialId: 'c', publicKey: 'p', signCount: 0, transports: [], deviceType: 'multiDevice', backedUp: true, aaguid: null },
    };
    const storage = (deviceType: 'singleDevice' | 'multiDevice', backedUp: boolean) =>
      factorView({ ...base, passkey: { ...base.passkey!, deviceType, backedUp } }).storage;
    // Keys of locales account.security.storage.* (views/account/security.ejs translates them).
    expect(storage('multiDevice', true)).toBe('synced');
    expect(storage('multiDevice', false)).toBe('notSynced');
    expect(storage('singleDevice', false)).toBe('deviceOnly');
    expect(factorView({ ...base, kind: 'totp', passkey: null })).toMatchObject({ kind: 'totp', storage: null, added: { text: '1 Dec 2026' }, lastUsed: null });
    expect(factorView(base, 'de').added.text).toBe('1. Dez. 2026');
  });
});
