// Complete HTTP login flows per second (authorization request, login page,
// password check with argon2id, redirect with code), 8 at a time.
import { httpAuthorize, type LoginOptions } from '../test/helpers/http-login.js';

export async function loginFlows(o: LoginOptions, seconds: number) {
  const end = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < end) {
      const t = Date.now();
      try {
        await httpAuthorize(o);
        latencies.push(Date.now() - t);
      } catch {
        errors++;
      }
    }
  }));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}
