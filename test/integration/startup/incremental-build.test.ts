// `npm start` runs `npm run build` first (package.json prestart); with
// nothing changed that build must rewrite nothing (tsconfig.build.json:
// incremental, build info in dist/), so start-up does not wait on tsc.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const build = () => execFileSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8', timeout: 120_000 });

function mtimes(dir: string, into = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) mtimes(path, into);
    else into.set(path, statSync(path).mtimeMs);
  }
  return into;
}

describe('npm run build', () => {
  it('a second build with nothing changed rewrites no file in dist/', () => {
    build(); // brings dist/ up to date with the current sources
    const before = mtimes('dist');
    expect(before.has(join('dist', 'src', 'main.js'))).toBe(true);
    expect(before.has(join('dist', '.tsbuildinfo'))).toBe(true);
    build();
    expect(mtimes('dist')).toEqual(before);
  }, 180_000);
});
