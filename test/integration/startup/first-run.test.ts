// What a first run prints (issue 16, "First run"): the built binary's
// "gatehouse listening" line names the issuer, admin console and account
// page, as JSON when stderr is not a terminal; `admin bootstrap` prints the
// console of the configured issuer, not a default port.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useStore } from '../../helpers/fixture.js';
import { cli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-first-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('first run', () => {
  it('serve logs one JSON line with the issuer, admin console and account URLs (stderr is a pipe)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in 60 s; stderr: ${stderr}`)), 60_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = stderr.split('\n').find((l) => l.includes('gatehouse listening'));
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const issuer = `http://localhost:${port}`;
      expect(JSON.parse(line)).toMatchObject({
        msg: `gatehouse listening on ${issuer} (admin console ${issuer}/admin, account ${issuer}/account)`,
        issuer, admin: `${issuer}/admin`, account: `${issuer}/account`, port,
      });
      // Every other line is JSON too (oidc-provider's import-time notice aside).
      for (const l of stderr.split('\n').filter((x) => x && !x.includes('Unsupported runtime'))) expect(() => JSON.parse(l)).not.toThrow();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 90_000);

  describe('admin bootstrap', () => {
    const store = useStore('embedded');

    it('prints the console URL of the configured ISSUER', async () => {
      const r = await cli({ ...store.env, ISSUER: 'https://id.example.test:4400/' }, 'admin', 'bootstrap', '--email', 'first@example.com', '--password', 'first-run-password-1');
      expect(r.code).toBe(0);
      expect(r.out.split('\n')).toContain('admin console: https://id.example.test:4400/admin');
    });
  });
});
