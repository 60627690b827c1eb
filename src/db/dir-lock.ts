// PGlite has no cross-process locking: two processes on one data directory
// silently lose rows. An O_EXCL lock file holding our pid keeps it to one.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A zombie (exited, not yet reaped) still answers kill(0) but holds nothing.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'gatehouse.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${holder}; ` +
            'run one Gatehouse per data directory, or set DATABASE_URL to share PostgreSQL',
        );
      }
      unlinkSync(file); // stale lock from a crashed process
    }
  }
  throw new Error(`could not lock ${dir}`);
}
