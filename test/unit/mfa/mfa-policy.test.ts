// The pure MFA rules (src/mfa/mfa-policy.ts): when a second factor is asked,
// what a completed sign-in is called (RFC 8176 amr, the acr it earns).
import { describe, expect, it } from 'vitest';
import {
  ACR_MFA, ACR_PASSWORD, ACR_VALUES, acrFor, acrRequestsMfa, amrFor, mfaDemanded, mfaNeed, type MfaDemand,
} from '../../../src/mfa/mfa-policy.js';

const base: MfaDemand = { mode: 'optional', userRequired: false, clientRequired: false, acrRequested: false, hasFactor: false };
const need = (d: Partial<MfaDemand>) => mfaNeed({ ...base, ...d });

describe('mfaNeed', () => {
  it('asks nothing of a user without a factor when nothing demands one', () => {
    expect(need({})).toBe('none');
  });

  it('always challenges a user who has a factor (unless MFA is off)', () => {
    expect(need({ hasFactor: true })).toBe('challenge');
    expect(need({ hasFactor: true, mode: 'required' })).toBe('challenge');
    expect(need({ hasFactor: true, mode: 'off' })).toBe('none');
  });

  it('sends a user without a factor to enrolment when the deployment, the user, the client or the acr demands it', () => {
    for (const d of [{ mode: 'required' as const }, { userRequired: true }, { clientRequired: true }, { acrRequested: true }]) {
      expect(need(d)).toBe('enrol');
      expect(mfaDemanded({ ...base, ...d })).toBe(true);
    }
    expect(mfaDemanded(base)).toBe(false);
  });

  it('with MFA off, refuses only a client that requires it', () => {
    expect(need({ mode: 'off', clientRequired: true })).toBe('refuse');
    expect(need({ mode: 'off', userRequired: true, acrRequested: true })).toBe('none');
  });
});

describe('acr and amr', () => {
  it('lists the password level first', () => {
    expect(ACR_VALUES).toEqual([ACR_PASSWORD, ACR_MFA]);
  });

  it('recognises requests for MFA by their common names', () => {
    expect(acrRequestsMfa([ACR_MFA])).toBe(true);
    expect(acrRequestsMfa(['mfa'])).toBe(true);
    expect(acrRequestsMfa(['http://schemas.openid.net/pape/policies/2007/06/multi-factor'])).toBe(true);
    expect(acrRequestsMfa([ACR_PASSWORD, 'urn:other'])).toBe(false);
    expect(acrRequestsMfa([])).toBe(false);
  });

  it('names the factors with RFC 8176 values, adding mfa for two', () => {
    expect(amrFor('pwd')).toEqual(['pwd']);
    expect(amrFor('pwd', 'totp')).toEqual(['pwd', 'otp', 'mfa']);
    expect(amrFor('pwd', 'recovery')).toEqual(['pwd', 'otp', 'mfa']);
    expect(amrFor('pwd', 'passkey-hwk')).toEqual(['pwd', 'hwk', 'mfa']);
    expect(amrFor('passkey-swk')).toEqual(['swk', 'mfa']);
  });

  it('gives the MFA acr exactly to sign-ins with mfa in their amr', () => {
    expect(acrFor(['pwd'])).toBe(ACR_PASSWORD);
    expect(acrFor(['pwd', 'otp', 'mfa'])).toBe(ACR_MFA);
  });
});
