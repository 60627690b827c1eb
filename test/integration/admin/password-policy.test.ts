// The password policy (src/users/password-policy.ts) wherever an admin sets a
// password: the API (create, set), and the CLI (user create, reset-password,
// admin bootstrap), all through the admin service. The stores themselves
// take any password (the policy is for the entry points).
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { adminToken, createApi } from '../../helpers/admin-api.js';
import { runCli } from '../../../src/cli/index.js';

async function cli(env: Record<string, string>, ...argv: string[]) {
  const err: string[] = [];
  const code = await runCli(argv, { out: () => {}, err: (t) => err.push(t), env });
  return { code, err: err.join('\n') };
}

describe('password policy for admin-set passwords', () => {
  const server = useServer({ backend: 'postgres', env: { PASSWORD_MIN_LENGTH: '12' } });
  let as: ReturnType<ReturnType<typeof createApi>['as']>;
  beforeAll(async () => {
    as = createApi(server).as(await adminToken(server));
  });

  it('API: create refuses a common, short or email-like password with 400 naming the field', async () => {
    const common = await as.post('/users', { email: 'ann@corp.example', password: 'password1234' });
    expect(common.status).toBe(400);
    expect(common.json).toEqual({
      error: 'invalid_request', error_description: expect.stringContaining('too common'),
      fields: [{ field: 'password', message: 'This password is too common and easy to guess. Please choose another.' }],
    });
    const short = await as.post('/users', { email: 'ann@corp.example', password: 'eleven-char' });
    expect(short.json.fields).toEqual([{ field: 'password', message: 'The password must be at least 12 characters long.' }]);
    const email = await as.post('/users', { email: 'ann.lovelace@corp.example', password: 'ann.lovelace@corp.example' });
    expect(email.json.fields[0].message).toMatch(/not be your email address/);
    expect(await server.services.stores.users.findByEmail('ann@corp.example')).toBeNull();
    expect((await as.post('/users', { email: 'ann@corp.example', password: 'analytical engine notes' })).status).toBe(201);
  });

  it('API: setting a password follows the policy; a generated one passes it', async () => {
    const { json: user } = await as.post('/users', { email: 'bob@corp.example', password: 'a sufficiently long one' });
    const weak = await as.post(`/users/${user.id}/password`, { password: 'qwertyuiop123' });
    expect(weak).toMatchObject({ status: 400, json: { fields: [{ field: 'password', message: expect.stringMatching(/too common/) }] } });
    expect(await server.services.stores.users.authenticate('bob@corp.example', 'a sufficiently long one')).not.toBeNull();
    const generated = await as.post(`/users/${user.id}/password`);
    expect(server.services.policies.password.check(generated.json.password)).toBeNull();
  });

  it('CLI: user create, reset-password and admin bootstrap exit 1 with the message', async () => {
    const env = server.env;
    const create = await cli(env, 'user', 'create', '--email', 'cli@corp.example', '--password', 'passwordpassword');
    expect(create).toMatchObject({ code: 1, err: expect.stringMatching(/password: This password is too common/) });
    expect((await cli(env, 'user', 'create', '--email', 'cli@corp.example', '--password', 'short-ish-pw')).code).toBe(0);
    const reset = await cli(env, 'user', 'reset-password', 'cli@corp.example', '--password', 'eleven-char');
    expect(reset).toMatchObject({ code: 1, err: expect.stringMatching(/at least 12 characters/) });
    const boot = await cli(env, 'admin', 'bootstrap', '--email', 'root@corp.example', '--password', 'password1234');
    expect(boot).toMatchObject({ code: 1, err: expect.stringMatching(/too common/) });
  });
});
