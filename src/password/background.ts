// Work done after the response: the reset flow answers before it looks the
// address up, so neither the status, the page nor the time taken tells
// whether an account exists (OWASP Forgot Password Cheat Sheet, "consistent
// response times"). A failed job is logged by name and message only (never a
// link or an address); beyond `limit` jobs in flight new ones are dropped
// (a flood must not grow memory without bound).
import type { Logger } from '../http/logger.js';

export interface Background {
  push(name: string, job: () => Promise<void>): void;
  /** Resolves when every job in flight has finished (tests, shutdown). */
  drain(): Promise<void>;
}

export function createBackground(log: Logger, limit = 500): Background {
  const running = new Set<Promise<void>>();
  return {
    push(name, job) {
      if (running.size >= limit) {
        log.warn('background queue full, job dropped', { job: name });
        return;
      }
      const run: Promise<void> = Promise.resolve()
        .then(job)
        .catch((err: unknown) => log.error('background job failed', { job: name, err: (err as Error)?.message ?? String(err) }))
        .finally(() => running.delete(run));
      running.add(run);
    },
    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
