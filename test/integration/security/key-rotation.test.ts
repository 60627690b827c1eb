// Key rotation: the next key is published before it signs, tokens signed by a
// retired key keep verifying via JWKS until it is removed. Controllable clock.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode } from '../../helpers/token-client.js';
import { runCli } from '../../../src/cli/index.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'keys@example.com', password: 'rotate-all-the-keys' };
const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;

/** Verifies an RS256 JWT against the issuer's current JWKS, as a relying party would. */
async function verifiesViaJwks(issuer: string, jwt: string): Promise<boolean> {
  const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = keys.find((k) => k.kid === kidOf(jwt));
  if (!jwk) return false;
  const [h, p, sig] = jwt.split('.');
  return verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig!, 'base64url'));
}

describe('signing-key rotation', () => {
  let store: TestStore;
  let server: TestServer;
  let client: { clientId: string; clientSecret: string };
  let env: Record<string, string>;
  const idToken = async () => {
    const { callback, verifier } = await httpAuthorize({ issuer: server.issuer, clientId: client.clientId, redirectUri: REDIRECT, ...USER });
    return (await exchangeCode(server.issuer, client, REDIRECT, callback, verifier)).result.id_token!;
  };
  const jwksKids = async () => ((await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  beforeAll(async () => {
    store = await createTestStore('postgres');
    env = { ...store.env, KEY_ROTATION_DAYS: '1', KEY_PUBLISH_AHEAD_SECONDS: '3600', KEY_RETIRE_SECONDS: '7200' };
    server = await startTestServer(env);
    await server.services.stores.users.create(USER);
    const c = await server.services.stores.clients.create({ name: 'rp', redirectUris: [REDIRECT] });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });
  afterEach(() => vi.useRealTimers());

  it('rotates on demand: publish first, sign later, verify old tokens until removal', async () => {
    const oldToken = await idToken();
    const oldKid = kidOf(oldToken);
    const out: string[] = [];
    expect(await runCli(['keys', 'rotate', '--json'], { out: (t) => out.push(t), err: () => {}, env })).toBe(0);
    const { staged } = JSON.parse(out[0]!) as { staged: string[] };
    // Usually a no-op by now: the change arrived by NOTIFY (key-propagation.test.ts).
    await server.refreshKeys();
    // Published before it signs.
    expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, ...staged]));
    expect(kidOf(await idToken())).toBe(oldKid);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3601_000);
    await server.refreshKeys();
    const newToken = await idToken();
    expect(staged).toContain(kidOf(newToken));
    expect(await verifiesViaJwks(server.issuer, newToken)).toBe(true);
    // The token signed before the rotation still verifies (retired, still published).
    expect(await jwksKids()).toContain(oldKid);
    expect(await verifiesViaJwks(server.issuer, oldToken)).toBe(true);

    vi.setSystemTime(Date.now() + 7201_000);
    await server.refreshKeys();
    expect(await jwksKids()).not.toContain(oldKid);
    expect(await verifiesViaJwks(server.issuer, oldToken)).toBe(false);
    expect(await verifiesViaJwks(server.issuer, newToken)).toBe(true);
  });

  it('rotates automatically when the active key reaches its age', async () => {
    const before = (await server.services.stores.keys.list()).filter((k) => k.status === 'active').map((k) => k.kid);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 86_401_000 + 20_000_000); // past 1 day (and the earlier jumps)
    await server.refreshKeys(); // stages `next`
    const staged = (await server.services.stores.keys.list()).filter((k) => k.status === 'next');
    expect(staged).toHaveLength(2);
    vi.setSystemTime(Date.now() + 3601_000);
    await server.refreshKeys(); // activates it
    const after = await server.services.stores.keys.list();
    expect(after.filter((k) => k.status === 'active').map((k) => k.kid).sort()).toEqual(staged.map((k) => k.kid).sort());
    expect(after.filter((k) => k.status === 'retired').map((k) => k.kid).sort()).toEqual(before.sort());
    // Private keys are sealed at rest.
    const rows = await server.services.db.prisma.signingKey.findMany();
    for (const r of rows) expect(r.privateJwk).not.toContain('"d"');
  });
});
