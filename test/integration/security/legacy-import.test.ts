// Users imported with bcrypt and PBKDF2 hashes log in through the real login
// page and are rehashed to argon2id on success.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { LoginForm } from '../../helpers/login-form.js';
import { runCli } from '../../../src/cli/index.js';

const REDIRECT = 'https://rp.example/cb';
const django = (pw: string) => {
  const salt = randomBytes(8).toString('hex');
  return `pbkdf2_sha256$260000$${salt}$${pbkdf2Sync(pw, salt, 260000, 32, 'sha256').toString('base64')}`;
};
const passlib = (pw: string) => {
  const salt = randomBytes(16);
  const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
  return `$pbkdf2-sha256$29000$${ab64(salt)}$${ab64(pbkdf2Sync(pw, salt, 29000, 32, 'sha256'))}`;
};

describe('legacy password import', () => {
  let store: TestStore;
  let server: TestServer;
  let clientId: string;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    const file = join(store.env.DATA_DIR!, 'users.jsonl');
    writeFileSync(file, [
      JSON.stringify({ email: 'bc@example.com', password_hash: bcrypt.hashSync('bcrypt-pass', 10), name: 'Bea' }),
      JSON.stringify({ email: 'dj@example.com', password_hash: django('django-pass') }),
      JSON.stringify({ email: 'pl@example.com', password_hash: passlib('passlib-pass'), email_verified: true }),
      JSON.stringify({ email: 'bad@example.com', password_hash: 'md5$abc' }),
      'not json',
      '',
    ].join('\n'));
    const out: string[] = [];
    const code = await runCli(['user', 'import', '--file', file, '--json'], { out: (t) => out.push(t), err: (t) => out.push(t), env: store.env });
    expect(code).toBe(1); // two invalid lines are reported
    expect(JSON.parse(out[0]!)).toMatchObject({ imported: 3, duplicates: [], invalid: [{ line: 4 }, { line: 5, error: 'not JSON' }] });
    server = await startTestServer(store.env);
    clientId = (await server.services.stores.clients.create({ name: 'app', redirectUris: [REDIRECT] })).clientId;
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dispose();
  });

  const hashOf = async (email: string) => (await server.services.db.prisma.user.findUnique({ where: { email } }))!.passwordHash;

  it.each([
    ['bc@example.com', 'bcrypt-pass', /^\$2[aby]\$/],
    ['dj@example.com', 'django-pass', /^pbkdf2_sha256\$/],
    ['pl@example.com', 'passlib-pass', /^\$pbkdf2-sha256\$/],
  ])('%s logs in with the old password and is rehashed to argon2id', async (email, password, legacy) => {
    expect(await hashOf(email)).toMatch(legacy);
    const form = new LoginForm(server.issuer, clientId, REDIRECT);
    await form.open();
    expect((await form.submit(email, 'wrong-password')).status).toBe(200);
    expect(await hashOf(email)).toMatch(legacy); // a failed login changes nothing
    expect((await form.submit(email, password)).status).toBe(303);
    expect(await hashOf(email)).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const again = new LoginForm(server.issuer, clientId, REDIRECT);
    await again.open();
    expect((await again.submit(email, password)).status).toBe(303);
  });
});
