// The composition root: config -> database -> migrations -> stores -> keys ->
// app -> listen. Nothing here runs at import time; the CLI calls these.
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createSecretBox, deriveKey } from './crypto/secret-box.js';
import { resolveMasterSecret } from './crypto/master-secret.js';
import { createUserStore } from './users/user-store.js';
import { createClientStore } from './clients/client-store.js';
import { createConsentStore } from './consent/consent-store.js';
import { createKeyStore } from './keys/key-store.js';
import { createMetadataValidator } from './clients/metadata-validator.js';
import { createProvider } from './oidc/provider.js';
import type Provider from 'oidc-provider';
import { createLogger, type Logger } from './http/logger.js';
import { createApp } from './app.js';
import { sweepExpired } from './oidc/adapter.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../', import.meta.url).href.replace(/dist\/$/, '') + 'prisma/migrations');

export interface Services {
  config: Config;
  db: Database;
  log: Logger;
  users: ReturnType<typeof createUserStore>;
  consents: ReturnType<typeof createConsentStore>;
  clients: ReturnType<typeof createClientStore>;
  keys: ReturnType<typeof createKeyStore>;
  masterSecret: string;
}

/** Opens the store, applies pending migrations and builds the stores. */
export async function compose(config: Config, log = createLogger(config.LOG_LEVEL)): Promise<Services> {
  const { secret, generated } = resolveMasterSecret(config);
  if (generated) log.warn('generated a development secret', { file: `${config.DATA_DIR}/secret` });
  const db = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const applied = await db.withSession((sql) => migrate(sql, MIGRATIONS_DIR));
    if (applied.length) log.info('applied migrations', { applied });
  } catch (err) {
    await db.close();
    throw err;
  }
  const users = createUserStore(db.prisma);
  const consents = createConsentStore(db.prisma);
  const keys = createKeyStore(db.prisma, createSecretBox(secret, 'signing-keys'));
  // A provider with the same configuration, used only to validate client
  // metadata with oidc-provider's rules; built on first use.
  let validationProvider: Promise<Provider> | undefined;
  const validate = createMetadataValidator(() => {
    validationProvider ??= keys.ensureKeys().then((jwks) =>
      createProvider({ config, prisma: db.prisma, users, clients, consents, jwks, cookieKeys: [deriveKey(secret, 'cookies')], render: async () => '' }),
    );
    return validationProvider;
  });
  const clients = createClientStore(db.prisma, createSecretBox(secret, 'client-secrets'), validate);
  return { config, db, log, masterSecret: secret, users, consents, clients, keys };
}

export interface Running {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(services: Services): Promise<Running> {
  const { config, db, log } = services;
  const jwks = await services.keys.ensureKeys();
  const cookieKeys = [deriveKey(services.masterSecret, 'cookies')];
  const csrfKey = deriveKey(services.masterSecret, 'csrf');
  const { app } = createApp({ ...services, prisma: db.prisma, jwks, cookieKeys, csrfKey });
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const sweeper = setInterval(() => void sweepExpired(db.prisma).catch(() => {}), 60_000);
  sweeper.unref();
  if (db.kind === 'embedded') log.warn('using the embedded store (PGlite, fsync off): for development only; set DATABASE_URL for production');
  log.info('gatehouse listening', { issuer: config.issuer, port, store: db.kind });
  return {
    server,
    url: `http://${config.HOST}:${port}`,
    async stop() {
      clearInterval(sweeper);
      // Finish in-flight requests, then release the store.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.close();
    },
  };
}
