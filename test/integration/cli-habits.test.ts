// CLI habits (issue 16): help, version, exit codes, near-miss flags, JSON errors
// and empty lists, in-process against a real PostgreSQL database, plus the built
// binary for the two things only it does (no arguments, --version).
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useStore } from '../helpers/fixture.js';
import { cli } from '../helpers/cli.js';
import { USAGE } from '../../src/cli/index.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('gatehouse CLI habits', () => {
  const store = useStore('postgres');

  it('help: all commands, or one command with help CMD / CMD --help', async () => {
    expect(await cli(store.env)).toEqual({ code: 0, out: USAGE, err: '' });
    expect((await cli(store.env, 'help')).out).toBe(USAGE);
    const one = await cli(store.env, 'help', 'session');
    expect(one).toMatchObject({ code: 0, err: '' });
    expect(one.out).toContain('session revoke USER');
    expect(one.out).not.toContain('client create');
    for (const argv of [['user', '--help'], ['user', 'get', '--help'], ['user', 'create', '--bogus', '-h']]) {
      const r = await cli(store.env, ...argv);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toContain('user reset-password USER');
      expect(r.out).not.toContain('client create');
    }
    // serve --help explains serve instead of starting a server.
    expect((await cli(store.env, 'serve', '--help')).out).toContain('start the server');
  });

  it('--version prints package.json version', async () => {
    expect(await cli(store.env, '--version')).toEqual({ code: 0, out: `gatehouse ${VERSION}`, err: '' });
  });

  it('unknown command: an error, a hint, exit 2 (not the whole usage)', async () => {
    const r = await cli(store.env, 'frobnicate');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe("gatehouse: unknown command: frobnicate\nrun 'gatehouse help' for the list of commands");
    expect((await cli(store.env, 'help', 'frobnicate')).code).toBe(2);
    expect((await cli(store.env, 'help', 'version')).out).toContain('--version');
  });

  it('usage errors print that command usage only', async () => {
    const r = await cli(store.env, 'client', 'create', '--name', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gatehouse: client create needs --redirect-uri/);
    expect(r.err).toContain('client update CLIENT_ID');
    expect(r.err).not.toContain('user create');
    const sub = await cli(store.env, 'user', 'frob');
    expect(sub).toMatchObject({ code: 2, err: expect.stringContaining('user list [--search TEXT]') });
    expect(sub.err).not.toContain('audit verify');
  });

  it('near-miss flags: did you mean?', async () => {
    const r = await cli(store.env, 'user', 'create', '--emial', 'a@b.example', '--password', 'correct horse');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('gatehouse: unknown option --emial; did you mean --email?');
    expect((await cli(store.env, 'client', 'list', '--limt', '3')).err).toMatch(/^gatehouse: unknown option --limt; did you mean --limit\?/);
    // Nothing close: no guess.
    expect((await cli(store.env, 'user', 'list', '--frobnicate')).err.split('\n')[0]).toBe('gatehouse: unknown option --frobnicate');
  });

  it('empty lists say so; --json prints []', async () => {
    expect(await cli(store.env, 'user', 'list')).toMatchObject({ code: 0, out: 'no users' });
    expect(await cli(store.env, 'user', 'list', '--json')).toMatchObject({ code: 0, out: '[]' });
    expect(await cli(store.env, 'client', 'list')).toMatchObject({ code: 0, out: 'no clients' });
    expect(await cli(store.env, 'client', 'list', '--json')).toMatchObject({ code: 0, out: '[]' });
    expect(await cli(store.env, 'resource', 'list')).toMatchObject({ code: 0, out: 'no resource servers' });
    expect(await cli(store.env, 'resource', 'list', '--json')).toMatchObject({ code: 0, out: '[]' });
    const created = await cli(store.env, 'user', 'create', '--email', 'lonely@example.com', '--password', 'correct horse', '--json');
    expect(created.code).toBe(0);
    expect(await cli(store.env, 'user', 'list', '--search', 'nobody-here')).toMatchObject({ code: 0, out: 'no users match' });
    expect(await cli(store.env, 'session', 'list', 'lonely@example.com')).toMatchObject({ code: 0, out: 'no sessions' });
    expect(await cli(store.env, 'session', 'list', 'lonely@example.com', '--json')).toMatchObject({ code: 0, out: '[]' });
  });

  it.each([
    ['user', 'get', 'ghost@example.com'], ['user', 'get', MISSING_ID], ['user', 'get', 'not-an-id'],
    ['user', 'disable', 'ghost@example.com'], ['user', 'enable', MISSING_ID], ['user', 'update', MISSING_ID, '--name', 'X'],
    ['user', 'reset-password', 'ghost@example.com'], ['user', 'factors', MISSING_ID],
    ['session', 'list', 'ghost@example.com'], ['session', 'list', MISSING_ID], ['session', 'revoke', MISSING_ID, '--all'],
    ['client', 'get', 'no-such-client'], ['client', 'delete', 'no-such-client'], ['client', 'update', 'no-such-client', '--name', 'X'],
    ['client', 'rotate-secret', 'no-such-client'],
  ])('%s %s %s of something missing exits 1 with a one-line error, JSON with --json', async (...argv) => {
    const r = await cli(store.env, ...argv);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^gatehouse: (user|client) not found$/);
    const j = await cli(store.env, ...argv, '--json');
    expect(j).toMatchObject({ code: 1, out: '' });
    expect(JSON.parse(j.err)).toEqual({ error: 'not_found', message: expect.stringMatching(/^(user|client) not found$/) });
  });

  it('--json usage errors are JSON on stderr too, exit 2', async () => {
    const r = await cli(store.env, 'user', 'create', '--emial', 'x', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.err)).toEqual({ error: 'usage', message: 'unknown option --emial; did you mean --email?' });
    const unknown = await cli(store.env, 'frobnicate', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.err)).toEqual({ error: 'usage', message: 'unknown command: frobnicate' });
    const dup = await cli(store.env, 'user', 'create', '--email', 'lonely@example.com', '--password', 'correct horse', '--json');
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.err)).toMatchObject({ error: 'conflict', message: expect.stringMatching(/already exists/) });
  });
});

describe('gatehouse binary', () => {
  const run = (...argv: string[]) =>
    spawnSync(process.execPath, ['bin/gatehouse.js', ...argv], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 });
  // Help, version and unknown commands load no server code (src/cli/index.ts imports
  // main.ts lazily), so not even oidc-provider's Node-version warning reaches stderr.
  const stderr = (r: { stderr: string }) => r.stderr;

  it('with no arguments prints help and exits 0 (it no longer starts a server)', () => {
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(USAGE);
    expect(stderr(r)).toBe('');
  });

  it('--version reads package.json at run time; an unknown command exits 2', () => {
    expect(run('--version')).toMatchObject({ status: 0, stdout: `gatehouse ${VERSION}\n` });
    const r = run('frobnicate', '--json');
    expect(r.status).toBe(2);
    expect(JSON.parse(stderr(r))).toEqual({ error: 'usage', message: 'unknown command: frobnicate' });
  });
});
