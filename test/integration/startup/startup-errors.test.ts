// The built binary with a bad environment: every start-up failure is one line
// on stderr naming the variable, exit code 1, no stack trace, no hang
// (issue 16, "First run"). Needs dist/ (npm install / npm run build).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A secret, so no "generated a development secret" line joins the error.
const base = { PATH: process.env.PATH ?? '', GATEHOUSE_SECRET: 'startup-test-secret-'.repeat(3), DATA_DIR: join(dir, 'data') };

function run(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['bin/gatehouse.js', 'serve'], { env: { ...base, ...env }, encoding: 'utf8', timeout: 30_000 });
  // oidc-provider's own import-time notice on Node 20 (src/http/provider-notices.ts) is not ours.
  const lines = r.stderr.split('\n').filter((l) => l && !l.includes('Unsupported runtime'));
  return { status: r.status, signal: r.signal, stderr: r.stderr, lines };
}

function expectOneLine(r: ReturnType<typeof run>, pattern: RegExp) {
  expect(r.signal).toBeNull(); // finished on its own, not killed by the timeout
  expect(r.status).toBe(1);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('gatehouse binary start-up errors', () => {
  it.each([
    'localhost:4400',
    'ftp://id.example.com',
    'https://id.example.com/?tenant=a',
    'https://id.example.com/#top',
    '/relative',
  ])('ISSUER=%s names ISSUER', (issuer) => {
    expectOneLine(run({ ISSUER: issuer }), /^gatehouse: invalid configuration: ISSUER must be an absolute http:\/\/ or https:\/\/ URL/);
  });

  it('an unreachable DATABASE_URL names it, host and port, without the password', async () => {
    const port = await closedPort();
    const r = run({ DATABASE_URL: `postgres://gatehouse:hunter2-password@127.0.0.1:${port}/gatehouse` });
    expectOneLine(r, new RegExp(`^gatehouse: cannot connect to the database at DATABASE_URL \\(127\\.0\\.0\\.1:${port}\\): ECONNREFUSED$`));
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a PORT already in use names HOST:PORT', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      // LOG_LEVEL=warn: the embedded store's "applied migrations" info line is not an error.
      const r = run({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
      expectOneLine(r, new RegExp(`^gatehouse: cannot listen on HOST:PORT \\(127\\.0\\.0\\.1:${port}\\): EADDRINUSE$`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a DATA_DIR that cannot be created fails fast naming DATA_DIR (it used to hang)', () => {
    expectOneLine(run({ DATA_DIR: '/proc/nope' }), /^gatehouse: cannot use DATA_DIR \(\/proc\/nope\): ENOENT$/);
  });

  it('a DATA_DIR that is a file, and one under a file, name DATA_DIR', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expectOneLine(run({ DATA_DIR: file }), /^gatehouse: cannot use DATA_DIR \(.*a-file\): ENOTDIR$/);
    expectOneLine(run({ DATA_DIR: join(file, 'data') }), /^gatehouse: cannot use DATA_DIR \(.*a-file\/data\): ENOTDIR$/);
  });

  it('an unbuilt checkout (no dist/) says so in one line', () => {
    // The same bin/gatehouse.js in a copy of the layout without dist/.
    mkdirSync(join(dir, 'checkout', 'bin'), { recursive: true });
    copyFileSync('bin/gatehouse.js', join(dir, 'checkout', 'bin', 'gatehouse.js'));
    copyFileSync('package.json', join(dir, 'checkout', 'package.json')); // its "type": "module"
    const r = spawnSync(process.execPath, [join(dir, 'checkout', 'bin', 'gatehouse.js')], { env: base, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('gatehouse: not built yet (dist/ is missing): run npm install or npm run build\n');
  });
});
