// Runs the gatehouse CLI in-process (src/cli/index.ts runCli) with a given
// environment, capturing what it prints: for the CLI integration tests.
import { runCli } from '../../src/cli/index.js';

export async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The command's --json output, parsed; throws with its stderr when it fails. */
export async function cliJson(env: Record<string, string>, ...argv: string[]) {
  const r = await cli(env, ...argv, '--json');
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}
