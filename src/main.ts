// The composition root: config -> database -> migrations -> stores ->
// policies -> services -> provider -> app -> listen. Everything is built once
// here, in typed groups, and handed down explicitly (docs/architecture.md).
// Nothing here runs at import time; the CLI and the demo call these.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { ensureDataDir } from './db/data-dir.js';
import { configError } from './errors/domain-error.js';
import { createSecretBox, deriveKey } from './crypto/secret-box.js';
import { resolveMasterSecret } from './crypto/master-secret.js';
import { createUserStore } from './users/user-store.js';
import { createClientStore } from './clients/client-store.js';
import { createClientLookup } from './clients/client-lookup.js';
import { createMetadataValidator } from './clients/metadata-validator.js';
import { createConsentStore } from './consent/consent-store.js';
import { createResourceStore } from './resources/resource-store.js';
import { createSecurityEvents } from './security/security-events.js';
import { auditChainKey } from './security/audit-chain.js';
import { createAuditLog } from './security/audit-log.js';
import { createThrottleStore } from './security/throttle-store.js';
import { throttleRules } from './security/throttle-rules.js';
import { recordProviderEvents } from './security/provider-events.js';
import { protocolThrottle } from './security/protocol-throttle.js';
import { createAdminAudit } from './security/admin-audit.js';
import { createKeyStore, KEY_CHANNEL } from './keys/key-store.js';
import { createLogger, stderrDestination } from './http/logger.js';
import { routeProviderNotices } from './http/provider-notices.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createRenderer } from './http/views.js';
import { createI18n } from './i18n/i18n.js';
import { createBranding } from './branding/branding.js';
import { createMailer } from './mail/mailer.js';
import { createMessages } from './mail/messages.js';
import { createEmailVerification } from './self-service/email-verification.js';
import { createRegistration } from './self-service/registration.js';
import { createPendingRegistrations } from './self-service/pending-registration.js';
import { createUserTokenStore } from './users/user-token-store.js';
import { createPasswordPolicy } from './users/password-policy.js';
import { createProvider } from './oidc/provider.js';
import { createProviderHolder, type CurrentProvider, type ProviderHolder } from './oidc/provider-holder.js';
import { createOidcObjectStore } from './oidc/oidc-object-store.js';
import { createTokensAtRest } from './oidc/at-rest.js';
import { createGrantStore } from './oidc/grant-store.js';
import { createBackchannelLogout } from './oidc/backchannel-logout.js';
import { createEndSessions } from './oidc/end-sessions.js';
import { createFactorStore } from './mfa/factor-store.js';
import { createRecoveryCodeStore } from './mfa/recovery-code-store.js';
import { mfaPolicy } from './mfa/mfa-policy.js';
import { createPasskeys } from './mfa/passkeys.js';
import { createChallenges } from './mfa/passkey-challenge.js';
import { createMfaServices } from './mfa/mfa-services.js';
import { createExchangePolicyStore } from './exchange/exchange-policy-store.js';
import { createExchangePolicyAdmin } from './exchange/exchange-policy-admin.js';
import { createLoginService } from './interaction/login-service.js';
import { createPasswordReset } from './password/reset-service.js';
import { createResetMail } from './password/reset-mail.js';
import { createBackground } from './password/background.js';
import { RESET_RULES } from './password/reset-policy.js';
import { createCsrf } from './interaction/csrf.js';
import { adminApiIndicator, buildConsentFilter } from './access/admin-access.js';
import { createApp, LOCALES_DIR, VIEWS_DIR } from './app.js';
import { createFirstRun } from './welcome/first-run.js';
import { createSetupTokens } from './welcome/setup-token.js';
import { userCreateSchema } from './admin/user-schemas.js';
import { ADMIN_ROLE } from './access/admin-access.js';
import { parseInput } from './errors/domain-error.js';
import type { AdminServices, Composition, Policies, Secrets, Services, Stores } from './composition.js';

export type { Composition } from './composition.js';
import { createClientAdmin } from './admin/client-admin.js';
import { createUserAdmin } from './admin/user-admin.js';
import { createMfaAdmin } from './admin/mfa-admin.js';
import { createEmailAdmin } from './admin/email-admin.js';
import { createRegistrationAdmin } from './admin/registration-admin.js';
import { createOperationsAdmin } from './admin/operations-admin.js';
import { consoleClientSecret, ensureAdminSetup } from './admin/admin-setup.js';
import { createConsoleSessions } from './admin/console/console-session.js';
import { accountClientSecret, ensureAccountClient } from './account/account-setup.js';
import { createAccountSessions } from './account/account-session.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../', import.meta.url).href.replace(/dist\/$/, '') + 'prisma/migrations');

/** Opens the store, applies pending migrations and builds everything once. */
export async function compose(config: Config, log = createLogger(config.LOG_LEVEL, stderrDestination(Boolean(process.stderr.isTTY)))): Promise<Composition> {
  // oidc-provider's own notices as JSON log lines, not plain text (provider-notices.ts).
  routeProviderNotices(log);
  // Fail fast, naming DATA_DIR, when the secret or the embedded store need it (db/data-dir.ts).
  if (!config.GATEHOUSE_SECRET || !config.DATABASE_URL) ensureDataDir(config.DATA_DIR);
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
  const metrics = createMetrics();
  const secrets: Secrets = { cookieKeys: [deriveKey(secret, 'cookies')], consoleClientSecret: consoleClientSecret(secret),
    accountClientSecret: accountClientSecret(secret) };
  // Client metadata is checked with the provider's own rules, so the client
  // store needs the provider, which needs the stores: the holder breaks the
  // loop by building the provider on first use.
  let holder: ProviderHolder | undefined;
  const provider = () => holder!.get();
  const stores = buildStores(db, config, secret, metrics, createMetadataValidator(provider));
  const policies: Policies = {
    refresh: { graceSeconds: config.REFRESH_REUSE_GRACE_SECONDS, idleTtl: config.REFRESH_TOKEN_TTL, absoluteTtl: config.REFRESH_TOKEN_ABSOLUTE_TTL },
    throttle: throttleRules(config),
    consentScopes: buildConsentFilter(adminApiIndicator(config.issuer), (id) => stores.users.findById(id)),
    mfa: mfaPolicy(config),
    password: createPasswordPolicy(config.PASSWORD_MIN_LENGTH),
  };
  const i18n = createI18n(LOCALES_DIR, config.BRAND_NAME);
  const branding = createBranding(config);
  const render = createRenderer(VIEWS_DIR, config.production, i18n, { brand: branding.brand, themeDir: branding.themeDir });
  holder = createProviderHolder({
    loadKeys: () => stores.keys.ensureKeys(),
    build: (jwks) => {
      const p = createProvider({ ...stores, policies: stores.exchangePolicies, config, refreshPolicy: policies.refresh, jwks, cookieKeys: secrets.cookieKeys, render, i18n });
      p.on('server_error', (_ctx, err) => log.error('provider error', { err: err.message }));
      recordProviderEvents(p, stores.events, log);
      p.on('grant.success', (ctx) => metrics.tokenIssued(String(ctx.oidc.params?.grant_type ?? '')));
      p.use(protocolThrottle(stores.throttle, policies.throttle.protocolIp));
      return p;
    },
  });
  // Sessions ended by an admin or a password reset: logout tokens signed with the live keys.
  const endSessions = createEndSessions({ grants: stores.grants, logout: createBackchannelLogout({ provider, log }) });
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, outboxDir: join(config.DATA_DIR, 'outbox'), log });
  const messages = createMessages({ render, mailer });
  const emailVerification = createEmailVerification({ ...stores, messages, issuer: config.issuer, log });
  const services: Services = {
    endSessions,
    login: createLoginService({ users: stores.users, throttle: stores.throttle, rules: policies.throttle, events: stores.events }),
    csrf: createCsrf(deriveKey(secret, 'csrf')),
    render,
    i18n,
    branding,
    mailer,
    messages,
    emailVerification,
    registration: createRegistration({
      enabled: config.SELF_REGISTRATION, domains: config.REGISTRATION_EMAIL_DOMAINS, password: policies.password, messages, verification: emailVerification, ...stores, log,
    }),
    pendingRegistrations: createPendingRegistrations(createSecretBox(secret, 'pending-registration')),
    // Forgot password / reset (src/password/; mounted when PASSWORD_RESET is on).
    passwordReset: createPasswordReset({
      ...stores, issuer: config.issuer, endSessions, policy: policies.password, rules: RESET_RULES,
      mail: createResetMail(messages), background: createBackground(log),
    }),
    consoleSessions: createConsoleSessions(createSecretBox(secret, 'admin-console-session')),
    passkeys: createPasskeys({
      factors: stores.factors, users: stores.users, events: stores.events, policy: policies.mfa,
      challenges: createChallenges({ box: createSecretBox(secret, 'passkey-challenges'), throttle: stores.throttle }),
    }),
    accountSessions: createAccountSessions(createSecretBox(secret, 'account-session')),
    mfa: createMfaServices({
      ...stores, rules: policies.throttle, policy: policies.mfa, pendingBox: createSecretBox(secret, 'mfa-pending-login'),
    }),
    // The first admin from the browser; `admin` is built below and only called later.
    firstRun: createFirstRun({
      issuer: config.issuer, policy: policies.password, users: stores.users, log,
      tokens: createSetupTokens({ box: createSecretBox(secret, 'first-run-setup'), throttle: stores.throttle }),
      createAdmin: ({ email, password, name }) => admin.users.create(
        parseInput(userCreateSchema, { email, password, roles: [ADMIN_ROLE], email_verified: true, ...(name ? { name } : {}) }), { via: 'setup' }),
    }),
  };
  const audit = createAdminAudit(stores.events, log);
  const { clients, users, grants, resources, keys, throttle } = stores;
  const admin: AdminServices = {
    clients: createClientAdmin({ clients, grants, audit }),
    users: createUserAdmin({ users, grants, audit, endSessions, passwordPolicy: policies.password }),
    mfa: createMfaAdmin({ users, factors: stores.factors, recoveryCodes: stores.recoveryCodes, audit }),
    email: createEmailAdmin({ users, verification: services.emailVerification, audit }),
    exchangePolicies: createExchangePolicyAdmin({ clients, resources, policies: stores.exchangePolicies, audit }),
    registration: createRegistrationAdmin({ enabled: config.DYNAMIC_REGISTRATION, issuer: config.issuer, provider, audit }),
    operations: createOperationsAdmin({ keys, resources, throttle, audit }),
    audit,
  };
  return { config, log, db, metrics, secrets, stores, policies, services, admin, provider: holder };
}

function buildStores(db: Database, config: Config, secret: string, metrics: Metrics, validate: ReturnType<typeof createMetadataValidator>): Stores {
  const { prisma } = db;
  // Token ids hashed, credential fields sealed in oidc_objects (oidc/at-rest.ts).
  const oidcObjects = createOidcObjectStore(db.sql, createTokensAtRest(secret));
  const chainKey = auditChainKey(secret);
  const clients = createClientStore(prisma, createSecretBox(secret, 'client-secrets'), validate);
  return {
    users: createUserStore(prisma, db.sql),
    clients,
    clientLookup: createClientLookup(clients),
    consents: createConsentStore(prisma),
    resources: createResourceStore(prisma),
    auditLog: createAuditLog(prisma, chainKey),
    events: createSecurityEvents(db.transaction, { chainKey, observe: (e) => metrics.securityEvent(e.type, e.outcome) }),
    throttle: createThrottleStore(prisma),
    keys: createKeyStore(prisma, createSecretBox(secret, 'signing-keys'), {
      intervalSeconds: Math.round(config.KEY_ROTATION_DAYS * 86400),
      publishAheadSeconds: config.KEY_PUBLISH_AHEAD_SECONDS,
      retireSeconds: config.KEY_RETIRE_SECONDS,
    }),
    oidcObjects,
    grants: createGrantStore(oidcObjects),
    exchangePolicies: createExchangePolicyStore(prisma),
    factors: createFactorStore(prisma, createSecretBox(secret, 'mfa-totp')),
    recoveryCodes: createRecoveryCodeStore(prisma, deriveKey(secret, 'recovery-codes')),
    userTokens: createUserTokenStore(prisma, deriveKey(secret, 'user-tokens')),
  };
}

export interface Running {
  server: Server;
  url: string;
  /** Reloads signing keys (applying due rotations); swaps in a new app when they changed. */
  refreshKeys(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Gatehouse's own clients (self-client/system-clients.ts), pointed at this instance's ISSUER. */
export async function ensureSystemClients(c: Composition): Promise<void> {
  const { config } = c;
  await ensureAdminSetup({ resources: c.stores.resources, clients: c.stores.clients, issuer: config.issuer, consoleClientSecret: c.secrets.consoleClientSecret });
  await ensureAccountClient({ clients: c.stores.clients, issuer: config.issuer, secret: c.secrets.accountClientSecret });
}

export async function startServer(c: Composition): Promise<Running> {
  const { config, db, log } = c;
  await ensureSystemClients(c);
  const build = (current: CurrentProvider) => createApp({ ...c, ...current }).callback();
  let serving = await c.provider.current();
  let handler = build(serving);
  // All state lives in the database, so a rebuilt app (new keys) is equivalent;
  // requests already in flight finish on the old one.
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    // One line naming the variables (HOST, PORT), not a bare "listen EADDRINUSE".
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(configError(`cannot listen on HOST:PORT (${config.HOST}:${config.PORT}): ${err.code ?? err.message}`)));
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  // The holder serialises checks; the app follows whichever provider is current.
  async function refreshKeys(): Promise<boolean> {
    const next = await c.provider.current();
    if (next.provider === serving.provider) return false;
    serving = next;
    handler = build(serving);
    log.info('signing keys changed', { kids: serving.jwks.map((k) => k.kid) });
    return true;
  }
  const refreshQuietly = () => void refreshKeys().catch((err: Error) => log.error('key refresh failed', { err: err.message }));
  // Key changes from any instance or the CLI arrive by NOTIFY (key-store.ts);
  // the interval stays as the fallback (and applies scheduled transitions).
  const unlisten = await db.listen(KEY_CHANNEL, {
    onNotify: refreshQuietly,
    onError: (err) => log.warn('key change listener disconnected, reconnecting', { err: err.message }),
  });
  const timers = [
    setInterval(() => void c.stores.oidcObjects.sweepExpired(new Date()).catch(() => {}), 60_000),
    // Used and expired email links are kept a day (support can see a link was used), then deleted.
    setInterval(() => void c.stores.userTokens.sweep(new Date(Date.now() - 86_400_000)).catch(() => {}), 3_600_000),
    setInterval(refreshQuietly, config.KEY_CHECK_INTERVAL_SECONDS * 1000),
  ];
  for (const t of timers) t.unref();
  if (db.kind === 'embedded') log.warn('using the embedded store (PGlite, fsync off): for development only; set DATABASE_URL for production');
  // One line with every address a person needs after start-up.
  log.info(`gatehouse listening on ${config.issuer} (admin console ${config.issuer}/admin, account ${config.issuer}/account)`,
    { issuer: config.issuer, admin: `${config.issuer}/admin`, account: `${config.issuer}/account`, port, store: db.kind });
  await c.services.firstRun.announce();
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
      await c.services.passwordReset.drain();
      await c.services.emailVerification.drain();
      await c.stores.events.drain();
      c.services.mailer.close();
      await db.close();
    },
  };
}
