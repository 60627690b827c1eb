// The layering of docs/architecture.md, checked with dependency-cruiser
// against .dependency-cruiser.cjs. A second cruise over a small tree with
// deliberately wrong imports proves the rules catch what they claim to.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve('.');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const BIN = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation { rule: { name: string }; from: string; to: string; cycle?: Array<{ name: string }> }

async function cruise(cwd: string): Promise<Violation[]> {
  // depcruise exits non-zero when it finds violations; the JSON is on stdout either way.
  const result = await run(process.execPath, [BIN, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 << 20 })
    .catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeViolation = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.to}`;

describe('import rules (docs/architecture.md)', () => {
  const probes: string[] = [];
  afterAll(async () => { for (const dir of probes) await rm(dir, { recursive: true, force: true }); });

  it('holds for src/: no upward import, no runtime cycle, database only in stores', async () => {
    const violations = await cruise(ROOT);
    expect(violations.map(describeViolation)).toEqual([]);
  });

  it('fails on a deliberately wrong import and on a runtime cycle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-layering-'));
    probes.push(dir);
    const file = async (path: string, text: string) => {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    };
    await copyFile(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    await file('src/admin/console.ts', 'export const page = 1;\n');
    await file('src/oidc/provider.ts', "import { page } from '../admin/console.js';\nexport const p = page;\n");
    await file('src/cli/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    await file('src/cli/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    await file('src/cli/types-only.ts', "import type { c } from './c.js';\nexport type T = typeof c;\n");
    await file('src/cli/c.ts', "import type { T } from './types-only.js';\nexport const c = 1; export type U = T;\n");
    await file('src/users/user-service.ts', "import { PrismaClient } from '../generated/prisma/client.js';\nexport const x = PrismaClient;\n");
    await file('src/generated/prisma/client.ts', 'export class PrismaClient {}\n');
    const found = (await cruise(dir)).map(describeViolation);
    expect(found).toContain('core-not-above: src/oidc/provider.ts -> src/admin/console.ts');
    expect(found.filter((v) => /^no-runtime-cycle: src\/cli\/[ab]\.ts -> src\/cli\/[ab]\.ts$/.test(v))).not.toEqual([]);
    expect(found.some((v) => v.includes('types-only'))).toBe(false);
    expect(found).toContain('database-in-stores-only: src/users/user-service.ts -> src/generated/prisma/client.ts');
  });
});

describe('file size (docs/architecture.md)', () => {
  it('keeps every source and test file at 300 lines or fewer', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const long: string[] = [];
    for (const top of ['src', 'test', 'bench']) {
      for (const entry of await readdir(join(ROOT, top), { recursive: true })) {
        const path = `${top}/${entry}`;
        if (!path.endsWith('.ts') || path.startsWith('src/generated/')) continue;
        const lines = (await readFile(join(ROOT, path), 'utf8')).split('\n').length - 1;
        if (lines > 300) long.push(`${path}: ${lines} lines`);
      }
    }
    expect(long).toEqual([]);
  });
});
