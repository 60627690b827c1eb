// Structured JSON logs (pino) on stderr, so CLI output on stdout stays clean;
// readable lines (pino-pretty, in-process) when stderr is a terminal.
// Callers pass fields explicitly; known secret-bearing fields are redacted as
// a second line of defence.
import pino from 'pino';
import pretty from 'pino-pretty';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const REDACT = ['password', 'client_secret', 'secret', 'token', 'access_token', 'refresh_token', 'id_token', 'code', 'authorization', 'cookie']
  .flatMap((k) => [k, `*.${k}`]);

export function createLogger(level: LogLevel, destination: pino.DestinationStream = stderrDestination(false)): Logger {
  const log = pino({ level, base: { service: 'gatehouse' }, redact: { paths: REDACT, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const at = (lvl: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => log[lvl](fields ?? {}, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Where logs go: readable lines for a person at a terminal, JSON lines for
 * anything else (a file, a pipe, a log collector). The caller says whether
 * stderr is a terminal (process.stderr.isTTY), so this module reads no
 * process state; fd is there for tests.
 */
export function stderrDestination(isTTY: boolean, fd = 2): pino.DestinationStream {
  if (!isTTY) return pino.destination({ fd, sync: false });
  // Synchronous: a terminal is low volume, and the last line before an exit must not be lost.
  return pretty({ destination: fd, sync: true, colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' });
}
