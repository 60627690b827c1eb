// Reading what an authorization request asks (src/mfa/mfa-request.ts):
// acr_values and the claims parameter's id_token.acr (OpenID Connect Core
// §3.1.2.1, §5.5.1.1), and the client's require_mfa flag.
import { describe, expect, it } from 'vitest';
import { acrAsksMfa, clientRequiresMfa, requestedAcrs } from '../../../src/mfa/mfa-request.js';
import { ACR_MFA, ACR_PASSWORD } from '../../../src/mfa/mfa-policy.js';

describe('requested acr values', () => {
  it('reads acr_values and claims.id_token.acr value/values (string or parsed)', () => {
    expect(requestedAcrs(`${ACR_PASSWORD} ${ACR_MFA}`, undefined)).toEqual([ACR_PASSWORD, ACR_MFA]);
    expect(requestedAcrs(undefined, JSON.stringify({ id_token: { acr: { essential: true, value: ACR_MFA } } }))).toEqual([ACR_MFA]);
    expect(requestedAcrs(undefined, { id_token: { acr: { values: ['mfa', 7] } } })).toEqual(['mfa']);
    expect(requestedAcrs(undefined, '{not json')).toEqual([]);
    expect(requestedAcrs(undefined, { userinfo: { acr: { value: ACR_MFA } } })).toEqual([]);
  });

  it('asks MFA only when one of them names it', () => {
    expect(acrAsksMfa(ACR_MFA, undefined)).toBe(true);
    expect(acrAsksMfa(ACR_PASSWORD, undefined)).toBe(false);
    expect(acrAsksMfa(undefined, { id_token: { acr: { value: 'mfa' } } })).toBe(true);
  });

  it('takes require_mfa as true only when it is the boolean true', () => {
    expect(clientRequiresMfa({ require_mfa: true })).toBe(true);
    for (const v of [false, 'true', 1, undefined]) expect(clientRequiresMfa({ require_mfa: v })).toBe(false);
    expect(clientRequiresMfa(undefined)).toBe(false);
  });
});
