// The CLI's help texts, one section per command, kept in one place: `gatehouse
// help` prints them all, `gatehouse <cmd> --help` / `gatehouse help <cmd>` and
// a usage error print only that command's section (issue 16, "CLI habits").

const HEADER = 'usage: gatehouse <command> [--json] [--help]   (gatehouse help <command> for one command)';

export const COMMAND_USAGE: Record<string, string> = {
  serve: `  serve                               start the server (what npm start runs)`,
  demo: `  demo                                Gatehouse + web app + two services (docs/microservices.md)`,
  migrate: `  migrate                             apply pending database migrations`,
  version: `  --version                           print the version`,
  help: `  help [COMMAND]                      all commands, or one command's usage`,
  admin: `  admin bootstrap --email E [--password P] [--name N] [--client-name N]
                                      first admin user (or grant the role), optional admin API client`,
  user: `  user create --email E --password P [--name N] [--given-name N] [--family-name N]
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
  user mfa-reset USER                 remove every factor and recovery code (lost device)`,
  session: `  session list USER
  session revoke USER (SESSION_ID | --all)`,
  client: `  client create --name N --redirect-uri U... [--post-logout-redirect-uri U]...
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
  client exchange-policy show|delete CLIENT_ID        RFC 8693 token-exchange policy`,
  registration: `  registration token [--ttl S] [--reusable]   initial access token for /reg (RFC 7591)`,
  resource: `  resource create --indicator URI [--name N] [--scope "read write"] [--access-token-ttl S]
  resource list`,
  keys: `  keys rotate [--now]                 stage new signing keys (published before they sign)
  keys list`,
  audit: `  audit verify [--anchor ID:HASH]     check the audit log's keyed hash chain (and that it
                                      still holds an anchor taken earlier: no truncation)
  audit anchor                        print the current head (ID:HASH) to keep elsewhere
  audit tail [-n 20] [--type T]`,
};

/** Every command, in the order above (what `gatehouse help` prints). */
export const USAGE = `${HEADER}\n\n${Object.values(COMMAND_USAGE).join('\n')}`;

export const isCommand = (command: string) => Object.hasOwn(COMMAND_USAGE, command);

/** One command's usage (the header line and its section). */
export const commandUsage = (command: string) => `usage:\n${COMMAND_USAGE[command] ?? ''}`;
