// What an admin's MFA changes do to the real sign-in (src/mfa/ flow, over
// HTTP): a user with an authenticator is asked for a code; after an admin
// reset the password alone signs them in; once the admin requires MFA for
// them, the next sign-in walks them through enrolment.
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';

const REDIRECT = 'https://rp.example/cb';

describe('admin MFA changes and the sign-in flow', () => {
  const server = useServer({ backend: 'postgres' });
  let clientId: string;
  let as: ReturnType<ReturnType<typeof createApi>['as']>;

  const afterPassword = async (user: { email: string; password: string }) => {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    await w.start();
    return w.submit('/login', { email: user.email, password: user.password });
  };

  beforeAll(async () => {
    clientId = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
    as = createApi(server).as(await adminToken(server));
  });

  it('reset: the lost authenticator is no longer asked for; requiring MFA sends the user to enrolment', async () => {
    const user = await createUser(server, { email: 'lost@example.com', password: 'correct horse battery staple' });
    const { factors, recoveryCodes } = server.services.stores;
    const f = await factors.addTotp(user.id, 'Lost phone', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await factors.acceptTotpStep(user.id, f.id, 1);
    await recoveryCodes.replace(user.id, ['lost-code-1', 'lost-code-2']);

    expect((await afterPassword(user)).url.pathname).toMatch(/^\/interaction\/[\w-]+\/mfa$/);

    expect((await as.delete(`/users/${user.id}/factors`)).json).toEqual({ factors_removed: 1, recovery_codes_removed: 2 });
    const plain = await afterPassword(user);
    expect(plain.callback?.searchParams.get('code')).toMatch(/^[\w-]{43}$/);

    expect((await as.patch(`/users/${user.id}`, { mfa_required: true })).json.mfa_required).toBe(true);
    expect((await afterPassword(user)).url.pathname).toMatch(/^\/interaction\/[\w-]+\/mfa\/enrol$/);
  });
});
