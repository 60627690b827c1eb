// The `gatehouse` command, run in-process against a real PostgreSQL database,
// plus the built binary for start-up errors.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useStore } from '../helpers/fixture.js';
import { cli } from '../helpers/cli.js';


describe('gatehouse CLI', () => {
  const store = useStore('postgres');

  it('migrate applies migrations and is idempotent', async () => {
    expect((await cli(store.env, 'migrate')).code).toBe(0);
    const again = await cli(store.env, 'migrate');
    expect(again).toMatchObject({ code: 0, out: 'migrations are up to date' });
  });

  it('user create --json prints the new user and rejects a duplicate email', async () => {
    const r = await cli(store.env, 'user', 'create', '--email', 'Ada@Example.com', '--password', 'correct horse', '--name', 'Ada', '--json');
    expect(r.code).toBe(0);
    const user = JSON.parse(r.out);
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(user)).not.toContain('correct horse');
    const dup = await cli(store.env, 'user', 'create', '--email', 'ada@example.com', '--password', 'whatever-else-1');
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
    const list = JSON.parse((await cli(store.env, 'user', 'list', '--json')).out);
    expect(list.map((u: { email: string }) => u.email)).toEqual(['ada@example.com']);
  });

  it('client create --json prints client_id and a secret once; list never shows secrets', async () => {
    const r = await cli(store.env, 'client', 'create', '--name', 'Web App', '--redirect-uri', 'https://app.example/cb', '--scope', 'openid email', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    expect(c.client_id).toMatch(/^\w[\w-]{15}$/); // 96 random bits, base64url (src/clients/client-store.ts)
    expect(c.client_secret).toMatch(/^[\w-]{40,}$/);
    expect(c).toMatchObject({ redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'client_secret_basic' });
    const pub = JSON.parse((await cli(store.env, 'client', 'create', '--name', 'SPA', '--redirect-uri', 'http://localhost:5173/cb', '--public', '--json')).out);
    expect(pub).toMatchObject({ client_secret: null, token_endpoint_auth_method: 'none' });
    const list = await cli(store.env, 'client', 'list', '--json');
    const listed = JSON.parse(list.out);
    expect(listed.map((x: { client_id: string }) => x.client_id).sort()).toEqual([c.client_id, pub.client_id].sort());
    expect(list.out).not.toContain(c.client_secret);
  });

  it('resource create registers an API; client create takes refresh lifetimes', async () => {
    const r = await cli(store.env, 'resource', 'create', '--indicator', 'https://api.example/', '--scope', 'read write', '--access-token-ttl', '300', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ indicator: 'https://api.example/', name: 'https://api.example/', scopes: ['read', 'write'], accessTokenTtl: 300 });
    expect(JSON.parse((await cli(store.env, 'resource', 'list', '--json')).out)).toHaveLength(1);
    expect((await cli(store.env, 'resource', 'create', '--indicator', 'https://api.example/#frag')).code).toBe(2);
    const c = await cli(store.env, 'client', 'create', '--name', 'Mobile', '--redirect-uri', 'https://m.example/cb', '--refresh-idle-ttl', '600', '--refresh-absolute-ttl', '3600', '--json');
    expect(JSON.parse(c.out)).toMatchObject({ refresh_token_idle_ttl: 600, refresh_token_absolute_ttl: 3600 });
    const tooLong = await cli(store.env, 'client', 'create', '--name', 'X', '--redirect-uri', 'https://m.example/cb', '--refresh-absolute-ttl', '999999999');
    expect(tooLong).toMatchObject({ code: 1, err: expect.stringMatching(/may not exceed/) });
  });

  it('rejects bad arguments with a usage error (exit 2)', async () => {
    expect((await cli(store.env, 'client', 'create', '--name', 'x')).code).toBe(2);
    expect((await cli(store.env, 'client', 'create', '--name', 'x', '--redirect-uri', 'not a url')).code).toBe(1);
    // The password policy's refusal is an input error (exit 1) with its message, not a usage error.
    expect(await cli(store.env, 'user', 'create', '--email', 'x@y.example', '--password', 'short')).toMatchObject({ code: 1, err: expect.stringMatching(/password: must be at least 8/) });
    expect((await cli(store.env, 'frobnicate')).code).toBe(2);
    expect((await cli(store.env, 'user', 'create', '--bogus')).err).toMatch(/bogus/);
  });
});

describe('gatehouse binary start-up errors', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['bin/gatehouse.js', 'serve'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });

  it.each([
    [{ PORT: 'eighty' }, /^gatehouse: invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^gatehouse: invalid configuration: DATABASE_URL must be a postgres/],
    [{ ISSUER: 'not a url' }, /^gatehouse: invalid configuration: ISSUER /],
    [{ NODE_ENV: 'production', ISSUER: 'https://id.example' }, /GATEHOUSE_SECRET is required in production/],
  ])('%o gives one line naming the variable', (env, pattern) => {
    const r = run(env);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l && !l.includes('Unsupported runtime'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
