// What every CLI command shares: flag parsing, output and the usage error.
// Kept apart from index.ts so that commands depend on it and index.ts on the
// commands, with no import cycle (docs/architecture.md).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomainError, usageError } from '../errors/domain-error.js';

export type Out = (text: string) => void;
export { usageError };

export function parse(args: string[], options: ParseArgsConfig['options']): Record<string, unknown> {
  return parseWithArgs(args, options, 0).values;
}

/** Flags plus up to `max` positional arguments (ids). */
export function parseWithArgs(args: string[], options: ParseArgsConfig['options'], max: number) {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: max > 0 });
    if (positionals.length > max) throw usageError(`unexpected argument: ${positionals[max]}`);
    return { values: values as Record<string, unknown>, positionals };
  } catch (err) {
    if (err instanceof DomainError && err.error === 'usage') throw err;
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec((err as Error).message)?.[1];
    throw usageError(unknown ? unknownOption(unknown, Object.keys(options ?? {})) : (err as Error).message);
  }
}

/** "unknown option --emial; did you mean --email?" (within 2 edits, as git and gh suggest). */
export function unknownOption(given: string, known: string[]): string {
  const name = given.replace(/^-+/, '').split('=')[0]!;
  const best = known
    .map((k) => ({ k, d: editDistance(name, k) }))
    .filter((x) => x.d <= Math.min(2, Math.floor(x.k.length / 2)))
    .sort((a, b) => a.d - b.d)[0];
  return `unknown option ${given}${best ? `; did you mean --${best.k}?` : ''}`;
}

/** Levenshtein distance (insert, delete, substitute), two rows at a time. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Prints JSON with --json, else the human-readable lines. */
export function emit(out: Out, json: unknown, value: unknown, lines: () => string[]): void {
  if (json) out(JSON.stringify(value));
  else for (const line of lines()) out(line);
}

/** A list: a JSON array with --json (`[]` when empty), else one line each or `none` ("no users"). */
export function emitList<T>(out: Out, json: unknown, items: T[], none: string, line: (item: T) => string, value: unknown = items): void {
  emit(out, json, value, () => (items.length ? items.map(line) : [none]));
}

/** `--flag true|false` for updates, where absent means unchanged. */
export function flagBool(value: unknown, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw usageError(`--${flag} takes true or false`);
}
