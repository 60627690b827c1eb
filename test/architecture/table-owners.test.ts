// One module owns each table (issue 13, move 2): only the owning store names
// the table in SQL or reaches it through Prisma. Comments may name it.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');

/** Source without comments: block comments, and `//` comments not part of a URL. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

/** Every file under dir (relative to dir) whose code matches pattern, generated code excepted. */
async function mentions(dir: string, pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(ROOT, dir), { recursive: true })) {
    const path = `${dir}/${entry}`;
    if (!path.endsWith('.ts') || path.startsWith('src/generated/')) continue;
    if (pattern.test(code(await readFile(join(ROOT, path), 'utf8')))) found.push(path);
  }
  return found.sort();
}

const OWNERS: Array<{ table: string; pattern: RegExp; owner: string }> = [
  { table: 'oidc_objects', pattern: /\boidc_objects\b|\boidcObject\b/, owner: 'src/oidc/oidc-object-store.ts' },
  { table: 'users', pattern: /\b(FROM|INTO|UPDATE|JOIN)\s+users\b|\.user\.(find|create|update|delete|count|upsert|aggregate|groupBy)/, owner: 'src/users/user-store.ts' },
];

describe('table owners', () => {
  it.each(OWNERS)('only $owner touches $table', async ({ pattern, owner }) => {
    expect(await mentions('src', pattern)).toEqual([owner]);
  });

  it('sees a mention outside the owner, and not one in a comment', () => {
    const [oidc] = OWNERS;
    expect(oidc!.pattern.test(code("await sql.query('DELETE FROM oidc_objects WHERE id = $1');"))).toBe(true);
    expect(oidc!.pattern.test(code('await prisma.oidcObject.deleteMany({});'))).toBe(true);
    expect(oidc!.pattern.test(code('// a dump of oidc_objects\n/* oidc_objects */ const url = "https://x"; // oidc_objects'))).toBe(false);
    expect(oidc!.pattern.test(code('services.oidcObjects.sweepExpired(now);'))).toBe(false);
  });
});
