// The introspection and revocation rules (src/oidc/token-policies.ts) case by
// case; test/integration/oidc/token-policies.test.ts runs them on a server.
import { describe, expect, it } from 'vitest';
import { mayIntrospect, mayRevoke, type ServedApis } from '../../../src/oidc/token-policies.js';

const API = 'https://orders.example/';
const served: ServedApis = async (clientId) => (clientId === 'orders' ? [API] : []);
const confidential = (clientId: string) => ({ clientId, clientAuthMethod: 'client_secret_basic' });

describe('token policies', () => {
  it('shows a token to its own client, whatever its kind', async () => {
    for (const kind of ['AccessToken', 'ClientCredentials', 'RefreshToken']) {
      expect(await mayIntrospect(served, confidential('web'), { kind, clientId: 'web' })).toBe(true);
    }
    expect(await mayIntrospect(served, { clientId: 'spa', clientAuthMethod: 'none' }, { kind: 'AccessToken', clientId: 'spa' })).toBe(true);
  });

  it('shows access tokens for an API to the client serving it, in any aud form', async () => {
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'AccessToken', clientId: 'web', aud: API })).toBe(true);
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'ClientCredentials', clientId: 'web', aud: ['https://x.example/', API] })).toBe(true);
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'AccessToken', clientId: 'web', aud: 'https://x.example/' })).toBe(false);
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'AccessToken', clientId: 'web' })).toBe(false);
    expect(await mayIntrospect(served, confidential('billing'), { kind: 'AccessToken', clientId: 'web', aud: API })).toBe(false);
  });

  it('never shows refresh tokens to a resource server, nor anything to a public client that is not the owner', async () => {
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'RefreshToken', clientId: 'web', aud: API })).toBe(false);
    expect(await mayIntrospect(served, { clientId: 'orders', clientAuthMethod: 'none' }, { kind: 'AccessToken', clientId: 'web', aud: API })).toBe(false);
    expect(await mayIntrospect(served, confidential('orders'), { kind: 'AccessToken', aud: API, clientId: undefined })).toBe(true);
  });

  it('lets only the owner revoke', () => {
    expect(mayRevoke(confidential('web'), { clientId: 'web' })).toBe(true);
    expect(mayRevoke(confidential('orders'), { clientId: 'web' })).toBe(false);
    expect(mayRevoke(confidential('orders'), { clientId: undefined })).toBe(false);
  });
});
