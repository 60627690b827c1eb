// The RFC 8693 policy rules as pure functions.
import { describe, expect, it } from 'vitest';
import { actorClaim, checkSubjectBinding, chooseTarget, issuedLifetime, MAX_CHAIN, narrowScope, type Act } from '../../../../../src/oidc/grants/token-exchange/policy.js';
import type { ExchangePolicy } from '../../../../../src/exchange/exchange-policy-store.js';

const policy: ExchangePolicy = {
  clientId: 'svc', audiences: ['https://b/'], subjectAudiences: ['https://a/'], mayImpersonate: false,
  maxTtl: 300, allowRefreshTokenSubject: false, allowIdTokenSubject: false,
};
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as { error: string }).error;
  }
};

describe('exchange policy rules', () => {
  it('narrows scope and never widens it', () => {
    expect(narrowScope(undefined, ['read', 'write'], ['read'])).toEqual(['read']);
    expect(narrowScope('read', ['read', 'write'], ['read', 'write'])).toEqual(['read']);
    expect(code(() => narrowScope('write', ['read'], ['read', 'write']))).toBe('invalid_scope');
    expect(code(() => narrowScope('read', ['read'], ['write']))).toBe('invalid_scope');
    expect(code(() => narrowScope(undefined, ['read'], ['write']))).toBe('invalid_scope');
  });

  it('insists on exactly one allowed target', () => {
    expect(chooseTarget(policy, ['https://b/', 'https://b/'])).toBe('https://b/');
    expect(code(() => chooseTarget(policy, []))).toBe('invalid_target');
    expect(code(() => chooseTarget(policy, ['https://b/', 'https://c/']))).toBe('invalid_target');
    expect(code(() => chooseTarget(policy, ['https://c/']))).toBe('invalid_target');
  });

  it('builds nested act chains, honours may_act, caps the depth, and gates impersonation', () => {
    expect(actorClaim(policy, 'B', { sub: 'A' }, undefined)).toEqual({ sub: 'B', act: { sub: 'A' } });
    expect(code(() => actorClaim(policy, 'B', undefined, { sub: 'C' }))).toBe('invalid_grant');
    expect(actorClaim(policy, 'C', undefined, { sub: 'C' })).toEqual({ sub: 'C' });
    expect(code(() => actorClaim(policy, undefined, undefined, undefined))).toBe('invalid_request');
    expect(actorClaim({ ...policy, mayImpersonate: true }, undefined, { sub: 'A' }, undefined)).toEqual({ sub: 'A' });
    let chain: Act | undefined;
    for (let i = 0; i < MAX_CHAIN; i++) chain = { sub: `s${i}`, ...(chain ? { act: chain } : {}) };
    expect(code(() => actorClaim(policy, 'next', chain, undefined))).toBe('invalid_grant');
  });

  it('never lets the issued token outlive the subject or the policy', () => {
    expect(issuedLifetime(policy, 600, undefined, 1000)).toBe(300);
    expect(issuedLifetime(policy, 600, 1100, 1000)).toBe(100);
    expect(issuedLifetime({ ...policy, maxTtl: null }, 60, 5000, 1000)).toBe(60);
    expect(code(() => issuedLifetime(policy, 600, 1000, 1000))).toBe('invalid_grant');
  });

  it('binds subjects to the client or to the APIs it serves', () => {
    expect(code(() => checkSubjectBinding(policy, 'svc', { clientId: 'svc', aud: [] }))).toBe('ok');
    expect(code(() => checkSubjectBinding(policy, 'svc', { clientId: 'web', aud: ['https://a/'] }))).toBe('ok');
    expect(code(() => checkSubjectBinding(policy, 'svc', { clientId: 'web', aud: ['https://c/'] }))).toBe('invalid_grant');
    expect(code(() => checkSubjectBinding(policy, 'svc', { clientId: 'web', aud: [] }))).toBe('invalid_grant');
  });
});
