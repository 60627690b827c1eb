// MFA_POLICY=off: nobody is asked for a second factor, acr_values asking for
// MFA get the password level (acr is voluntary: OpenID Connect Core
// §3.1.2.1), and a client that requires MFA is refused with
// unmet_authentication_requirements instead of being given less. Also the
// require_mfa metadata's validation.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';
import { ACR_MFA } from '../../../src/mfa/mfa-policy.js';

const REDIRECT = 'https://rp.example/cb';

describe('MFA_POLICY=off', () => {
  const server = useServer({ backend: 'postgres', env: { MFA_POLICY: 'off' } });
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    user = await createUser(server, { email: 'off@example.com', password: 'correct horse battery staple' });
    await server.services.stores.users.setMfaRequired(user.id, true);
  });

  const signIn = async (clientId: string, extra: Record<string, string> = {}) => {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    await w.start(extra);
    return w.submit('/login', { email: user.email, password: user.password });
  };

  it('signs in with the password alone, even when acr_values asks for MFA', async () => {
    const { clientId } = await createWebClient(server, REDIRECT, { firstParty: true });
    const done = await signIn(clientId, { acr_values: ACR_MFA });
    expect(done.callback?.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('refuses a require_mfa client with unmet_authentication_requirements', async () => {
    const { clientId } = await createWebClient(server, REDIRECT, { firstParty: true, extra: { require_mfa: true } });
    const done = await signIn(clientId);
    expect(done.callback?.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(done.callback?.searchParams.get('error_description')).toMatch(/multi-factor/);
  });

  it('accepts require_mfa only as a boolean', async () => {
    const bad = createWebClient(server, REDIRECT, { extra: { require_mfa: 'yes' } });
    await expect(bad).rejects.toThrow(/require_mfa must be a boolean/);
    const ok = await createWebClient(server, REDIRECT, { extra: { require_mfa: false } });
    expect((await server.services.stores.clients.get(ok.clientId))?.metadata).toMatchObject({ require_mfa: false });
  });
});
