// The baseline: a bare oidc-provider, in-memory storage, the same signing keys,
// algorithms, clients and features as Gatehouse's benchmark setup. Started by
// bench/run.ts with the fixture path as its only argument.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const fx = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const provider = new Provider(fx.issuer, {
  clients: fx.clients,
  jwks: { keys: fx.jwks },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: 'bench@example.com' }) }),
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined as unknown as string,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'read', audience: fx.resource, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } }),
    },
  },
});
createServer(provider.callback()).listen(fx.port, '127.0.0.1', () => process.send?.('ready'));

// Mint tokens for the refresh/userinfo/introspection scenarios (the baseline
// has no login UI worth measuring).
process.on('message', async (msg: { mint: number }) => {
  const client = await provider.Client.find(fx.clients[0].client_id);
  const out = [];
  for (let i = 0; i < msg.mint; i++) {
    const grant = new provider.Grant({ accountId: `user-${i}`, clientId: client!.clientId });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const common = { accountId: `user-${i}`, client: client!, grantId, scope: 'openid offline_access', gty: 'authorization_code' };
    const rt = await new provider.RefreshToken(common).save();
    const at = await new provider.AccessToken(common).save();
    out.push({ refresh_token: rt, access_token: at });
  }
  process.send?.({ tokens: out });
});
