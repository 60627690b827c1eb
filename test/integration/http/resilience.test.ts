// Resilience: two `gatehouse serve` processes on one PostgreSQL; one is
// killed with SIGKILL in the middle of refresh traffic. No refresh family
// whose response reached its client is lost, and the survivor keeps serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../helpers/databases.js';
import { freePort } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, refresh, type TestClient } from '../../helpers/token-client.js';
import { loadConfig } from '../../../src/config.js';
import { compose } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'kill@example.com', password: 'kill-dash-nine' };

async function serve(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error' }, stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('instance did not start');
}

describe('instance failure', () => {
  let store: TestStore;
  let a: ChildProcess;
  let b: ChildProcess;
  let urlA: string;
  let urlB: string;
  let client: TestClient;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const [portA, portB] = [await freePort(), await freePort()];
    [urlA, urlB] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
    const env = { ...store.env, ISSUER: urlA };
    const s = await compose(loadConfig(env), createLogger('silent'));
    await s.stores.users.create(USER);
    const c = await s.stores.clients.create({ name: 'app', redirectUris: [REDIRECT], scope: 'openid offline_access' });
    client = { clientId: c.clientId, clientSecret: c.clientSecret! };
    await s.db.close();
    [a, b] = await Promise.all([serve(env, portA), serve(env, portB)]);
  });
  afterAll(async () => {
    a?.kill('SIGKILL');
    b?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await store?.dispose();
  });

  it('loses no refresh family when one instance is killed mid-load', async () => {
    const chains: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { callback, verifier } = await httpAuthorize({ issuer: urlA, clientId: client.clientId, redirectUri: REDIRECT, ...USER, scope: 'openid offline_access', extra: { prompt: 'consent' } });
      chains.push((await exchangeCode(urlA, client, REDIRECT, callback, verifier)).result.refresh_token!);
    }
    let killed = false;
    let rotations = 0;
    // Each chain refreshes in a loop against A (until it dies) and B alternately.
    await Promise.all(chains.map(async (_, i) => {
      for (let n = 0; n < 30; n++) {
        const target = !killed && n % 2 === 0 ? urlA : urlB;
        const r = await refresh(target, client, chains[i]!).catch(() => null);
        if (r?.status === 200) {
          chains[i] = r.json.refresh_token as string;
          rotations++;
        } else if (r) {
          throw new Error(`chain ${i} lost on ${target}: ${r.status} ${r.text}`);
        } // r === null: the connection died with A; retry the same token on B
        if (rotations === 40 && !killed) {
          killed = true;
          a.kill('SIGKILL');
        }
      }
    }));
    expect(killed).toBe(true);
    // Every family is alive on the survivor, which is ready and serving.
    for (const rt of chains) expect((await refresh(urlB, client, rt)).status).toBe(200);
    expect((await fetch(`${urlB}/readyz`)).status).toBe(200);
    await expect(fetch(`${urlA}/healthz`)).rejects.toThrow();
  });
});
