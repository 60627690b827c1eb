// The `gatehouse` command. Each subcommand composes the services it needs,
// does one thing, prints a line (or JSON with --json) and exits.
import { readFileSync } from 'node:fs';
import { usageError, type Out } from './cli-args.js';
import { USAGE, commandUsage, isCommand } from './usage.js';
import { DomainError } from '../errors/domain-error.js';
import { loadConfig } from '../config.js';
import { createLogger, stderrDestination } from '../http/logger.js';
import { cliExit } from '../errors/translate.js';
import { userCommands } from './user-commands.js';
import { clientCommands } from './client-commands.js';
import { resourceCommands } from './resource-commands.js';
import { auditCommands } from './audit-commands.js';
import { keyCommands } from './key-commands.js';
import { sessionCommands } from './session-commands.js';
import { registrationCommands } from './registration-commands.js';
import { adminCommands } from './admin-commands.js';

export { USAGE };

/** package.json's version, read when asked: src/cli/ and dist/src/cli/ sit at different depths. */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gatehouse' && pkg.version) return pkg.version;
    } catch { /* not at this depth */ }
  }
  return 'unknown';
}

const HINT = "run 'gatehouse help' for the list of commands";

/** Help and version need no configuration or database: answered before anything is composed. */
function answerWithoutServices(argv: string[], out: Out): number | undefined {
  const [command, topic] = argv;
  if (command === undefined || command === '--help' || command === '-h') return out(USAGE), 0;
  if (command === '--version' || command === '-V' || command === 'version') return out(`gatehouse ${version()}`), 0;
  if (command === 'help') {
    if (topic === undefined) return out(USAGE), 0;
    if (!isCommand(topic)) throw usageError(`unknown command: ${topic}`);
    return out(commandUsage(topic)), 0;
  }
  if (!isCommand(command)) throw usageError(`unknown command: ${command}`);
  if (argv.includes('--help') || argv.includes('-h')) return out(commandUsage(command)), 0;
  return undefined;
}

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
  const [command = '', sub, ...rest] = argv;
  try {
    const answered = answerWithoutServices(argv, out);
    if (answered !== undefined) return answered;
    const config = loadConfig(io.env);
    // Loaded here, not at the top: help and --version then answer without loading oidc-provider.
    const { compose, startServer } = await import('../main.js');
    if (command === 'serve') {
      const running = await startServer(await compose(config));
      const stop = () => void running.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return -1; // keep running
    }
    if (command === 'demo') {
      const { DEMO_USER, runDemo } = await import('../demo/run.js');
      const demo = await runDemo(config, config.PORT);
      out(`Gatehouse demo running:\n  web app   ${demo.webApp}/   (sign in as ${DEMO_USER.email} / ${DEMO_USER.password})\n  gatehouse ${demo.issuer}\n  orders    ${demo.orders}\n  billing   ${demo.billing}\nCtrl-C to stop.`);
      const stop = () => void demo.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return -1;
    }
    const services = await compose(config, createLogger(command === 'migrate' ? config.LOG_LEVEL : 'warn', stderrDestination(Boolean(process.stderr.isTTY))));
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
      if (command === 'session') return await sessionCommands(services, sub, args, out);
      if (command === 'registration') return await registrationCommands(services, sub, args, out);
      if (command === 'admin') return await adminCommands(services, sub, args, out);
      throw usageError(`unknown command: ${command}`);
    } finally {
      await services.stores.events.drain();
      await services.db.close();
    }
  } catch (err) {
    // The CLI edge of the error model (src/errors/domain-error.ts).
    // With --json a script gets one JSON object on stderr; people get a line and
    // the usage of the command they were typing (or a hint when it is unknown).
    const exit = cliExit(err);
    if (argv.includes('--json')) {
      const error = err instanceof DomainError ? err.error : 'error';
      io.err(JSON.stringify({ error, message: exit.message }));
    } else if (exit.showUsage) {
      io.err(`gatehouse: ${exit.message}\n${isCommand(command) ? commandUsage(command) : HINT}`);
    } else {
      io.err(`gatehouse: ${exit.message}`);
    }
    return exit.code;
  }
}
