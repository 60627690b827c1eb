// The `gatehouse` command. Each subcommand composes the services it needs,
// does one thing, prints a line (or JSON with --json) and exits.
import { usageError, type Out } from './cli-args.js';
import { loadConfig } from '../config.js';
import { compose, startServer } from '../main.js';
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
import { DEMO_USER, runDemo } from '../demo/run.js';


export const USAGE = `usage: gatehouse <command>   (every command takes --json)

  serve                               start the server (default)
  demo                                Gatehouse + web app + two services (docs/microservices.md)
  migrate                             apply pending database migrations
  admin bootstrap --email E [--password P] [--name N] [--client-name N]
                                      first admin user (or grant the role), optional admin API client
  user create --email E --password P [--name N] [--given-name N] [--family-name N]
              [--role R]... [--email-verified] [--phone-number +E164] [--phone-number-verified] [--mfa-required]
              [--address JSON | --address-street S --address-locality L --address-region R
               --address-postal-code P --address-country C --address-formatted F]
  user list [--search TEXT] [--limit N] [--offset N]
  user get|disable|enable USER        USER is an id or an email address
  user update USER [--email E] [--name N] [--given-name N] [--family-name N]
              [--roles "a b"] [--email-verified true|false] [--phone-number +E164|'']
              [--phone-number-verified true|false] [--address JSON|''] [--address-PART V|''] (PART as above)
              [--mfa-required true|false]   require multi-factor sign-in for the user
  user reset-password USER [--password P]   (generated and shown once without --password)
  user send-verification USER         email a new verification link (24 h; earlier links stop working)
  user unlock --email E               clear sign-in lockout for an account
  user import --file users.jsonl      import bcrypt/PBKDF2/argon2 hashes (rehashed at next login)
  user factors USER                   second factors (TOTP, passkeys) and recovery codes left
  user factor-remove USER FACTOR_ID   remove one factor (the last one takes the recovery codes along)
  user mfa-reset USER                 remove every factor and recovery code (lost device)
  session list USER
  session revoke USER (SESSION_ID | --all)
  client create --name N --redirect-uri U... [--post-logout-redirect-uri U]...
                [--grant-types a,b] [--scope "openid ..."] [--public | --auth-method M]
                [--client-uri U] [--first-party] [--admin]
                [--refresh-idle-ttl S] [--refresh-absolute-ttl S]
                [--require-par] [--dpop-bound] [--mtls-bound] [--tls-subject-dn DN] [--jwks-file F]
                [--backchannel-logout-uri U] [--backchannel-logout-session-required true|false]
                [--require-mfa]             every sign-in for the client needs a second factor
                (device flow: --grant-types urn:ietf:params:oauth:grant-type:device_code --public)
  client list [--limit N] [--offset N]
  client get|delete|rotate-secret CLIENT_ID
  client update CLIENT_ID [--name N] [--redirect-uri U]... [--post-logout-redirect-uri U]...
                [--grant-types a,b] [--scope S] [--auth-method M] [--client-uri U]
                [--first-party true|false] [--admin true|false]
                [--refresh-idle-ttl S] [--refresh-absolute-ttl S]   ('' removes scope/URI/TTL)
                [--backchannel-logout-uri U] [--backchannel-logout-session-required true|false]
                [--require-mfa true|false]
  client exchange-policy set CLIENT_ID --audience URI... [--subject-audience URI]... [--impersonation] [--max-ttl S]
                [--allow-refresh-token-subject] [--allow-id-token-subject]
  client exchange-policy show|delete CLIENT_ID        RFC 8693 token-exchange policy
  registration token [--ttl S] [--reusable]   initial access token for /reg (RFC 7591)
  resource create --indicator URI [--name N] [--scope "read write"] [--access-token-ttl S]
  resource list
  keys rotate [--now]                 stage new signing keys (published before they sign)
  keys list
  audit verify [--anchor ID:HASH]     check the audit log's keyed hash chain (and that it
                                      still holds an anchor taken earlier: no truncation)
  audit anchor                        print the current head (ID:HASH) to keep elsewhere
  audit tail [-n 20] [--type T]`;

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
    if (command === 'demo') {
      const demo = await runDemo(config, config.PORT);
      out(`Gatehouse demo running:\n  web app   ${demo.webApp}/   (sign in as ${DEMO_USER.email} / ${DEMO_USER.password})\n  gatehouse ${demo.issuer}\n  orders    ${demo.orders}\n  billing   ${demo.billing}\nCtrl-C to stop.`);
      const stop = () => void demo.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return -1;
    }
    if (command === 'help' || command === '--help') {
      out(USAGE);
      return 0;
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
    const exit = cliExit(err);
    io.err(`gatehouse: ${exit.message}${exit.showUsage ? `\n${USAGE}` : ''}`);
    return exit.code;
  }
}
