// Graceful shutdown of the real `gatehouse serve` process: on SIGTERM it stops
// accepting, lets in-flight requests finish, closes the store and exits 0.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { freePort } from '../../helpers/server.js';
import { LoginForm } from '../../helpers/login-form.js';
import { loadConfig } from '../../../src/config.js';
import { compose } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';

describe('graceful shutdown', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(() => store?.dispose());

  it('finishes an in-flight login after SIGTERM and exits cleanly', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const s = await compose(loadConfig(store.env), createLogger('silent'));
    await s.stores.users.create({ email: 'term@example.com', password: 'sigterm-survivor' });
    const { clientId } = await s.stores.clients.create({ name: 'app', redirectUris: ['https://rp.example/cb'] });
    await s.db.close();

    const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
      env: { ...process.env, ...store.env, PORT: String(port), ISSUER: issuer, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${issuer}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const form = new LoginForm(issuer, clientId, 'https://rp.example/cb');
    await form.open();
    const inFlight = form.submit('term@example.com', 'sigterm-survivor'); // argon2: tens of ms
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(303);
    expect(await exited).toBe(0);
    await expect(fetch(`${issuer}/healthz`)).rejects.toThrow();
  });
});
