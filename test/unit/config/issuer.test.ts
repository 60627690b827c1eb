// ISSUER is checked in src/config.ts (an absolute http(s) URL, no query or
// fragment: OpenID Connect Discovery 1.0 §3) so a bad value names ISSUER.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';

describe('ISSUER', () => {
  it.each([
    ['http://localhost:4400', 'http://localhost:4400'],
    ['https://id.example.com/', 'https://id.example.com'],
    ['https://id.example.com/tenant-a', 'https://id.example.com/tenant-a'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('accepts %s', (value, issuer) => {
    expect(loadConfig({ ISSUER: value }).issuer).toBe(issuer);
  });

  it.each(['localhost:4400', 'id.example.com', 'ftp://id.example.com', 'https://id.example.com?x=1', 'https://id.example.com#a', 'https://', 'not a url'])(
    'rejects %s naming ISSUER',
    (value) => {
      expect(() => loadConfig({ ISSUER: value })).toThrow(/^invalid configuration: ISSUER must be an absolute http:\/\/ or https:\/\/ URL/);
    },
  );
});
