// The composition root: config -> database -> migrations -> stores -> keys ->
// app -> listen. Nothing here runs at import time; the CLI calls these.
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type Provider from 'oidc-provider';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createSecretBox, deriveKey } from './crypto/secret-box.js';
import { resolveMasterSecret } from './crypto/master-secret.js';
import { createUserStore } from './users/user-store.js';
import { createClientStore } from './clients/client-store.js';
import { createMetadataValidator } from './clients/metadata-validator.js';
import { createConsentStore } from './consent/consent-store.js';
import { createResourceStore } from './resources/resource-store.js';
import { createSecurityEvents } from './security/security-events.js';
import { auditChainKey } from './security/audit-chain.js';
import { createThrottleStore } from './security/throttle-store.js';
import { createKeyStore, KEY_CHANNEL, type PrivateJwk } from './keys/key-store.js';
import { createLogger, type Logger } from './http/logger.js';
import { routeProviderNotices } from './http/provider-notices.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createProvider } from './oidc/provider.js';
import { createOidcObjectStore, type OidcObjectStore } from './oidc/oidc-object-store.js';
import { createTokensAtRest, type TokensAtRest } from './oidc/at-rest.js';
import type { RefreshPolicy } from './oidc/refresh-policy.js';
import { createApp } from './app.js';
import { createGrantStore } from './oidc/grant-store.js';
import { createBackchannelLogout } from './oidc/backchannel-logout.js';
import { createExchangePolicyStore } from './exchange/exchange-policy-store.js';
import { createExchangePolicyAdmin } from './exchange/exchange-policy-admin.js';
import { createClientAdmin } from './admin/client-admin.js';
import { createUserAdmin } from './admin/user-admin.js';
import { createRegistrationAdmin } from './admin/registration-admin.js';
import { consoleClientSecret, ensureAdminSetup } from './admin/admin-setup.js';
import { createAdminAudit, type AdminAudit } from './security/admin-audit.js';
import { createOperationsAdmin } from './admin/operations-admin.js';

/** Which signing keys a provider was built with: rebuild when this changes. */
const fingerprint = (jwks: PrivateJwk[]) => jwks.map((k) => k.kid).join(',');

export const MIGRATIONS_DIR = fileURLToPath(new URL('../', import.meta.url).href.replace(/dist\/$/, '') + 'prisma/migrations');

export interface Services {
  config: Config;
  db: Database;
  log: Logger;
  masterSecret: string;
  /** Token ids hashed, credential fields sealed in oidc_objects (oidc/at-rest.ts). */
  tokensAtRest: TokensAtRest;
  /** The one module over oidc_objects (sessions, grants, tokens). */
  oidcObjects: OidcObjectStore;
  refreshPolicy: RefreshPolicy;
  users: ReturnType<typeof createUserStore>;
  consents: ReturnType<typeof createConsentStore>;
  clients: ReturnType<typeof createClientStore>;
  resources: ReturnType<typeof createResourceStore>;
  events: ReturnType<typeof createSecurityEvents>;
  throttle: ReturnType<typeof createThrottleStore>;
  metrics: Metrics;
  keys: ReturnType<typeof createKeyStore>;
  grants: ReturnType<typeof createGrantStore>;
  policies: ReturnType<typeof createExchangePolicyStore>;
  exchangePolicyAdmin: ReturnType<typeof createExchangePolicyAdmin>;
  clientAdmin: ReturnType<typeof createClientAdmin>;
  userAdmin: ReturnType<typeof createUserAdmin>;
  registrationAdmin: ReturnType<typeof createRegistrationAdmin>;
  operationsAdmin: ReturnType<typeof createOperationsAdmin>;
  /** Records admin changes; the admin services call it (security/admin-audit.ts). */
  adminAudit: AdminAudit;
}

/** Opens the store, applies pending migrations and builds the stores. */
export async function compose(config: Config, log = createLogger(config.LOG_LEVEL)): Promise<Services> {
  // oidc-provider's own notices as JSON log lines, not plain text (provider-notices.ts).
  routeProviderNotices(log);
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
  // Client metadata is validated by a provider with the real configuration,
  // built on first use (it never serves requests; the CLI also mints initial
  // access tokens with it).
  let offlineProvider: Promise<Provider> | undefined;
  const getProvider = () => {
    offlineProvider ??= services.keys.ensureKeys().then((jwks) => buildProvider(services, jwks));
    return offlineProvider;
  };
  // Logout tokens for sessions ended by an admin are signed with the current
  // keys (rebuilt after a rotation), so RPs verify them against the live JWKS.
  let signer: { kids: string; provider: Provider } | undefined;
  const signingProvider = async () => {
    const jwks = await services.keys.ensureKeys();
    const kids = fingerprint(jwks);
    if (signer?.kids !== kids) signer = { kids, provider: buildProvider(services, jwks) };
    return signer.provider;
  };
  const validate = createMetadataValidator(getProvider);
  const metrics = createMetrics();
  const prisma = db.prisma;
  const users = createUserStore(prisma, db.sql);
  const clients = createClientStore(prisma, createSecretBox(secret, 'client-secrets'), validate);
  const tokensAtRest = createTokensAtRest(secret);
  const oidcObjects = createOidcObjectStore(db.sql, tokensAtRest);
  const grants = createGrantStore(oidcObjects);
  const policies = createExchangePolicyStore(prisma);
  const resources = createResourceStore(prisma);
  const events = createSecurityEvents(db.prisma, db.transaction, { chainKey: auditChainKey(secret), observe: (e) => metrics.securityEvent(e.type, e.outcome) });
  const audit = createAdminAudit(events, log);
  const throttle = createThrottleStore(db.prisma);
  const keys = createKeyStore(db.prisma, createSecretBox(secret, 'signing-keys'), {
    intervalSeconds: Math.round(config.KEY_ROTATION_DAYS * 86400),
    publishAheadSeconds: config.KEY_PUBLISH_AHEAD_SECONDS,
    retireSeconds: config.KEY_RETIRE_SECONDS,
  });
  const services: Services = {
    metrics,
    config, db, log, masterSecret: secret, tokensAtRest, oidcObjects,
    refreshPolicy: { graceSeconds: config.REFRESH_REUSE_GRACE_SECONDS, idleTtl: config.REFRESH_TOKEN_TTL, absoluteTtl: config.REFRESH_TOKEN_ABSOLUTE_TTL },
    users, clients, grants,
    policies,
    consents: createConsentStore(db.prisma),
    resources,
    exchangePolicyAdmin: createExchangePolicyAdmin({ clients, resources, policies, audit }),
    events, throttle, keys, adminAudit: audit,
    clientAdmin: createClientAdmin({ clients, grants, audit }),
    userAdmin: createUserAdmin({ users, grants, audit, logout: createBackchannelLogout({ provider: signingProvider, log }) }),
    registrationAdmin: createRegistrationAdmin({ enabled: config.DYNAMIC_REGISTRATION, issuer: config.issuer, provider: getProvider, audit }),
    operationsAdmin: createOperationsAdmin({ keys, resources, throttle, audit }),
  };
  return services;
}

function buildProvider(s: Services, jwks: Awaited<ReturnType<Services['keys']['ensureKeys']>>): Provider {
  return createProvider({ ...s, sql: s.db.sql, jwks, cookieKeys: [deriveKey(s.masterSecret, 'cookies')], render: async () => '' });
}

export interface Running {
  server: Server;
  url: string;
  /** Reloads signing keys (applying due rotations); swaps in a new app when they changed. */
  refreshKeys(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startServer(services: Services): Promise<Running> {
  const { config, db, log } = services;
  await ensureAdminSetup({ ...services, issuer: config.issuer });
  const build = (jwks: PrivateJwk[]) => createApp({
    ...services, sql: db.sql, jwks,
    cookieKeys: [deriveKey(services.masterSecret, 'cookies')], csrfKey: deriveKey(services.masterSecret, 'csrf'),
    consoleBox: createSecretBox(services.masterSecret, 'admin-console-session'),
    consoleClientSecret: consoleClientSecret(services.masterSecret),
  }).app.callback();
  let jwks = await services.keys.ensureKeys();
  let handler = build(jwks);
  // All state lives in the database, so a rebuilt app (new keys) is equivalent;
  // requests already in flight finish on the old one.
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  async function reload(): Promise<boolean> {
    const next = await services.keys.ensureKeys();
    if (fingerprint(next) === fingerprint(jwks)) return false;
    jwks = next;
    handler = build(jwks);
    log.info('signing keys changed', { kids: jwks.map((k) => k.kid) });
    return true;
  }
  // One reload at a time: a notification, the timer and a caller may ask at once.
  let reloading: Promise<boolean> = Promise.resolve(false);
  const refreshKeys = () => (reloading = reloading.catch(() => false).then(reload));
  const refreshQuietly = () => void refreshKeys().catch((err: Error) => log.error('key refresh failed', { err: err.message }));
  // Key changes from any instance or the CLI arrive by NOTIFY (key-store.ts);
  // the interval stays as the fallback (and applies scheduled transitions).
  const unlisten = await db.listen(KEY_CHANNEL, {
    onNotify: refreshQuietly,
    onError: (err) => log.warn('key change listener disconnected, reconnecting', { err: err.message }),
  });
  const timers = [
    setInterval(() => void services.oidcObjects.sweepExpired(new Date()).catch(() => {}), 60_000),
    setInterval(refreshQuietly, config.KEY_CHECK_INTERVAL_SECONDS * 1000),
  ];
  for (const t of timers) t.unref();
  if (db.kind === 'embedded') log.warn('using the embedded store (PGlite, fsync off): for development only; set DATABASE_URL for production');
  log.info('gatehouse listening', { issuer: config.issuer, port, store: db.kind });
  return {
    server,
    url: `http://${config.HOST}:${port}`,
    refreshKeys,
    async stop() {
      for (const t of timers) clearInterval(t);
      await unlisten();
      // Finish in-flight requests, then release the store.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await services.events.drain();
      await db.close();
    },
  };
}
