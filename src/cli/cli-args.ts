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
    throw err instanceof DomainError && err.error === 'usage' ? err : usageError((err as Error).message);
  }
}

/** Prints JSON with --json, else the human-readable lines. */
export function emit(out: Out, json: unknown, value: unknown, lines: () => string[]): void {
  if (json) out(JSON.stringify(value));
  else for (const line of lines()) out(line);
}

/** `--flag true|false` for updates, where absent means unchanged. */
export function flagBool(value: unknown, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw usageError(`--${flag} takes true or false`);
}
