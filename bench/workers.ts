// Closed-loop load: N workers each run `step` back to back for `seconds`.
// Used where every request depends on the previous response (refresh-token
// chains, login flows), which a fixed-request load generator cannot express.
export interface Result { rps: number; p50: number; p99: number; errors: number }

export async function runWorkers<S>(workers: S[], seconds: number, step: (state: S) => Promise<boolean>): Promise<Result> {
  const end = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(workers.map(async (state) => {
    while (Date.now() < end) {
      const t = performance.now();
      const ok = await step(state).catch(() => false);
      if (ok) latencies.push(performance.now() - t);
      else errors++;
    }
  }));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return { rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}
