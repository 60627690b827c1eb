// Contract of the client store (src/clients/client-store.ts), every
// statement, on PostgreSQL and embedded PGlite alike. Metadata validation by
// the provider is covered by test/integration/admin/clients.test.ts; here the
// validator only has to be called before anything is written.
import { beforeAll, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/crypto/secret-box.js';
import { createClientStore, type ClientStore } from '../../../src/clients/client-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const WEB = { name: 'Web', redirectUris: ['https://rp.example/cb'] };

forEachBackend('client store contract', (ctx) => {
  let clients: ClientStore;
  const open = () => createClientStore(ctx.db.prisma, createSecretBox(ctx.secret, 'client-secrets'));
  const sealed = async (id: string) =>
    (await ctx.db.sql.query<{ s: string | null }>('SELECT secret_encrypted AS s FROM clients WHERE client_id = $1', [id]))[0]?.s;

  beforeAll(() => {
    clients = open();
  });

  it('creates confidential and public clients; the secret is shown once and stored sealed', async () => {
    const conf = await clients.create({ ...WEB, firstParty: true });
    expect(conf).toMatchObject({ name: 'Web', firstParty: true, admin: false, hasSecret: true });
    expect(conf.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sealed(conf.clientId)).not.toContain(conf.clientSecret);
    expect(await clients.readForProvider(conf.clientId)).toMatchObject({
      client_id: conf.clientId, client_secret: conf.clientSecret, redirect_uris: WEB.redirectUris, token_endpoint_auth_method: 'client_secret_basic',
    });
    const pub = await clients.create({ ...WEB, name: 'SPA', public: true });
    expect(pub.clientSecret).toBeUndefined();
    expect(pub.hasSecret).toBe(false);
    expect(await clients.readForProvider(pub.clientId)).not.toHaveProperty('client_secret');
  });

  it('writes nothing when the validator refuses', async () => {
    const before = (await clients.list()).total;
    const strict = createClientStore(ctx.db.prisma, createSecretBox(ctx.secret, 'client-secrets'), async () => {
      throw new Error('invalid_client_metadata');
    });
    await expect(strict.create(WEB)).rejects.toThrow('invalid_client_metadata');
    expect((await clients.list()).total).toBe(before);
  });

  it('gets and lists in creation order with paging', async () => {
    const { items, total } = await clients.list();
    expect(items.map((c) => c.name)).toEqual(['Web', 'SPA']);
    expect(total).toBe(2);
    expect((await clients.list({ limit: 1, offset: 1 })).items.map((c) => c.name)).toEqual(['SPA']);
    expect(await clients.get(items[0]!.clientId)).toEqual(items[0]);
    expect(await clients.get('nope')).toBeNull();
    expect(await clients.get('no\u0000pe')).toBeNull();
    expect(await clients.readForProvider('nope')).toBeUndefined();
  });

  it('updates metadata, generating a secret for a newly confidential client and dropping it for a public one', async () => {
    const [conf, pub] = (await clients.list()).items;
    const toPublic = await clients.update(conf!.clientId, { name: 'Web 2', metadata: { ...conf!.metadata, token_endpoint_auth_method: 'none' }, admin: true });
    expect(toPublic).toMatchObject({ name: 'Web 2', hasSecret: false, admin: true });
    expect(toPublic?.clientSecret).toBeUndefined();
    expect(await clients.readForProvider(conf!.clientId)).toMatchObject({ token_endpoint_auth_method: 'none' });
    const toConf = await clients.update(pub!.clientId, { name: 'SPA', metadata: { ...pub!.metadata, token_endpoint_auth_method: 'client_secret_post' } });
    expect(toConf?.clientSecret).toBeDefined();
    expect((await clients.readForProvider(pub!.clientId))?.client_secret).toBe(toConf?.clientSecret);
    const kept = await clients.update(pub!.clientId, { name: 'SPA 2', metadata: toConf!.metadata });
    expect(kept?.clientSecret).toBeUndefined();
    expect((await clients.readForProvider(pub!.clientId))?.client_secret).toBe(toConf?.clientSecret);
    expect(await clients.update('nope', { name: 'x', metadata: {} })).toBeNull();
  });

  it('rotates a secret at once, only for clients that use one', async () => {
    const [pub, conf] = (await clients.list()).items; // Web 2 is public now, SPA 2 confidential
    const secret = await clients.rotateSecret(conf!.clientId);
    expect(secret).toBeTruthy();
    expect((await clients.readForProvider(conf!.clientId))?.client_secret).toBe(secret);
    expect(await clients.rotateSecret(pub!.clientId)).toBeNull();
    expect(await clients.rotateSecret('nope')).toBeNull();
  });

  it('saves registered clients (secret sealed, name from metadata or id, flags untouched)', async () => {
    await clients.saveRegistered('reg-1', { client_id: 'reg-1', client_secret: 'reg-secret', redirect_uris: ['https://r.example/cb'] });
    expect(await clients.get('reg-1')).toMatchObject({ name: 'reg-1', hasSecret: true, firstParty: false, admin: false });
    expect(await sealed('reg-1')).not.toContain('reg-secret');
    expect(await clients.readForProvider('reg-1')).toMatchObject({ client_secret: 'reg-secret' });
    await clients.saveRegistered('reg-1', { client_id: 'reg-1', client_name: 'Registered', token_endpoint_auth_method: 'none' });
    expect(await clients.get('reg-1')).toMatchObject({ name: 'Registered', hasSecret: false });
    expect(await clients.readForProvider('reg-1')).not.toHaveProperty('client_secret');
  });

  it('ensures a system client with a fixed id and secret', async () => {
    await clients.ensureSystem('sys-console', { name: 'Console', redirectUris: ['https://op.example/cb'] }, 'fixed-1');
    await clients.ensureSystem('sys-console', { name: 'Console', redirectUris: ['https://op.example/cb2'] }, 'fixed-2');
    expect(await clients.get('sys-console')).toMatchObject({ firstParty: true, admin: false, hasSecret: true });
    expect(await clients.readForProvider('sys-console')).toMatchObject({ client_secret: 'fixed-2', redirect_uris: ['https://op.example/cb2'] });
  });

  it('removes a client, reporting whether there was one, and tells change listeners', async () => {
    const changed: string[] = [];
    clients.onChange((id) => changed.push(id));
    expect(await clients.remove('reg-1')).toBe(true);
    expect(changed).toEqual(['reg-1']);
    expect(await clients.remove('reg-1')).toBe(false);
    expect(await clients.readForProvider('reg-1')).toBeUndefined();
  });

  it('keeps clients and their secrets across a restart of the store', async () => {
    await ctx.reopen();
    clients = open();
    expect(await clients.readForProvider('sys-console')).toMatchObject({ client_secret: 'fixed-2' });
  });
});
