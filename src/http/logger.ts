// Structured JSON logs (pino) on stderr, so CLI output on stdout stays clean.
// Callers pass fields explicitly; known secret-bearing fields are redacted as
// a second line of defence.
import pino from 'pino';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const REDACT = ['password', 'client_secret', 'secret', 'token', 'access_token', 'refresh_token', 'id_token', 'code', 'authorization', 'cookie']
  .flatMap((k) => [k, `*.${k}`]);

export function createLogger(level: LogLevel, destination: pino.DestinationStream = pino.destination({ fd: 2, sync: false })): Logger {
  const log = pino({ level, base: { service: 'gatehouse' }, redact: { paths: REDACT, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const at = (lvl: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => log[lvl](fields ?? {}, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
