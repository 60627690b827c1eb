// The `gatehouse` command. Each subcommand composes the services it needs,
// does one thing, prints a line (or JSON with --json) and exits.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config.js';
import { compose, startServer } from '../main.js';
import { createLogger } from '../http/logger.js';
import { userCommands } from './user-commands.js';
import { clientCommands } from './client-commands.js';
import { resourceCommands } from './resource-commands.js';
import { auditCommands } from './audit-commands.js';
import { keyCommands } from './key-commands.js';

export type Out = (text: string) => void;
export class UsageError extends Error {}

export const USAGE = `usage: gatehouse <command>

  serve                               start the server (default)
  migrate                             apply pending database migrations
  user create --email E --password P [--name N] [--role R]... [--json]
  user list [--json]
  user unlock --email E               clear sign-in lockout for an account
  user import --file users.jsonl [--json]   import bcrypt/PBKDF2/argon2 hashes
  client create --name N --redirect-uri U... [--post-logout-redirect-uri U]...
                [--grant-types a,b] [--scope "openid ..."] [--public] [--first-party]
                [--refresh-idle-ttl S] [--refresh-absolute-ttl S] [--auth-method M]
                [--require-par] [--dpop-bound] [--mtls-bound] [--tls-subject-dn DN] [--jwks-file F] [--json]
  client list [--json]
  resource create --indicator URI [--name N] [--scope "read write"] [--access-token-ttl S] [--json]
  resource list [--json]
  keys rotate [--now] [--json]        stage new signing keys (published before they sign)
  keys list [--json]
  audit verify [--json]               check the audit log's hash chain
  audit tail [-n 20] [--type T] [--json]`;

export interface CliIo {
  out: Out;
  err: Out;
  env?: Record<string, string | undefined>; // defaults to the process environment (config.ts)
}

const defaultIo = (): CliIo => ({
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
});

/** Returns the exit code, or -1 when the server keeps running. */
export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const { out } = io;
  const [command = 'serve', sub, ...rest] = argv;
  try {
    const config = loadConfig(io.env);
    if (command === 'serve') {
      const running = await startServer(await compose(config));
      const stop = () => void running.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return -1; // keep running
    }
    if (command === 'help' || command === '--help') {
      out(USAGE);
      return 0;
    }
    const services = await compose(config, createLogger(command === 'migrate' ? config.LOG_LEVEL : 'warn'));
    try {
      if (command === 'migrate') {
        out('migrations are up to date');
        return 0;
      }
      const args = sub ? rest : [];
      if (command === 'user') return await userCommands(services, sub, args, out);
      if (command === 'client') return await clientCommands(services, sub, args, out);
      if (command === 'resource') return await resourceCommands(services, sub, args, out);
      if (command === 'audit') return await auditCommands(services, sub, args, out);
      if (command === 'keys') return await keyCommands(services, sub, args, out);
      throw new UsageError(`unknown command: ${command}`);
    } finally {
      await services.events.drain();
      await services.db.close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`gatehouse: ${err.message}\n${USAGE}`);
      return 2;
    }
    const message = (err as Error).message ?? String(err);
    io.err(`gatehouse: ${message.trim().split('\n')[0]}`);
    return 1;
  }
}

export function parse(args: string[], options: ParseArgsConfig['options']): Record<string, unknown> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
