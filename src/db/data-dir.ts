// DATA_DIR holds the development secret, the embedded database and the mail
// outbox. It is created level by level, not with mkdirSync({ recursive }):
// on Node 20 a recursive mkdir under a path that cannot hold directories
// (e.g. /proc/nope) never returns, and start-up hung without a word.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configError } from '../errors/domain-error.js';

/** Creates DATA_DIR if needed and checks it is a writable directory; throws one line naming DATA_DIR. */
export function ensureDataDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  try {
    while (!exists(at)) {
      missing.unshift(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
    for (const level of missing) mkdirSync(level);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw configError(`cannot use DATA_DIR (${dir}): ${e.code ?? e.message}`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
