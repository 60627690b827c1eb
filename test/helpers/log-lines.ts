// A logger that keeps its JSON lines (src/http/logger.ts), for tests that read
// what start-up logs (e.g. the first-run setup URL, src/welcome/first-run.ts).
import { createLogger, type Logger } from '../../src/http/logger.js';

export interface CapturedLog { logger: Logger; lines: Array<Record<string, unknown>> }

export function captureLog(): CapturedLog {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (chunk: string) => { for (const l of chunk.split('\n')) if (l) lines.push(JSON.parse(l)); } });
  return { logger, lines };
}

/** The setup URLs logged so far (one per start-up without an admin). */
export const setupUrls = (log: CapturedLog): string[] =>
  log.lines.filter((l) => typeof l.setup_url === 'string').map((l) => l.setup_url as string);
