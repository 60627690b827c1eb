// The composition root's groups (src/main.ts builds them once): typed, so a
// module asks for the group it needs instead of a bag of every dependency.
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { UserStore } from './users/user-store.js';
import type { ClientStore } from './clients/client-store.js';
import type { ClientLookup } from './clients/client-lookup.js';
import type { ConsentStore } from './consent/consent-store.js';
import type { ResourceStore } from './resources/resource-store.js';
import type { SecurityEvents } from './security/security-events.js';
import type { AuditLog } from './security/audit-log.js';
import type { ThrottleStore } from './security/throttle-store.js';
import type { ThrottleRules } from './security/throttle-rules.js';
import type { AdminAudit } from './security/admin-audit.js';
import type { KeyStore } from './keys/key-store.js';
import type { Logger } from './http/logger.js';
import type { Metrics } from './http/metrics.js';
import type { Render } from './http/views.js';
import type { I18n } from './i18n/i18n.js';
import type { Branding } from './branding/branding.js';
import type { Mailer } from './mail/mailer.js';
import type { Messages } from './mail/messages.js';
import type { EmailVerification } from './self-service/email-verification.js';
import type { Registration } from './self-service/registration.js';
import type { PendingRegistrations } from './self-service/pending-registration.js';
import type { UserTokenStore } from './users/user-token-store.js';
import type { PasswordPolicy } from './users/password-policy.js';
import type { ProviderHolder } from './oidc/provider-holder.js';
import type { RefreshPolicy } from './oidc/refresh-policy.js';
import type { GrantStore } from './oidc/grant-store.js';
import type { OidcObjectStore } from './oidc/oidc-object-store.js';
import type { EndSessions } from './oidc/end-sessions.js';
import type { PasswordReset } from './password/reset-service.js';
import type { FactorStore } from './mfa/factor-store.js';
import type { RecoveryCodeStore } from './mfa/recovery-code-store.js';
import type { MfaPolicy } from './mfa/mfa-policy.js';
import type { Passkeys } from './mfa/passkeys.js';
import type { MfaServices } from './mfa/mfa-services.js';
import type { ExchangePolicyStore } from './exchange/exchange-policy-store.js';
import type { ExchangePolicyAdmin } from './exchange/exchange-policy-admin.js';
import type { LoginService } from './interaction/login-service.js';
import type { FirstRun } from './welcome/first-run.js';
import type { Csrf } from './interaction/csrf.js';
import type { ResourceScopeFilter } from './access/admin-access.js';
import type { ClientAdmin } from './admin/client-admin.js';
import type { UserAdmin } from './admin/user-admin.js';
import type { MfaAdmin } from './admin/mfa-admin.js';
import type { EmailAdmin } from './admin/email-admin.js';
import type { RegistrationAdmin } from './admin/registration-admin.js';
import type { OperationsAdmin } from './admin/operations-admin.js';
import type { ConsoleSessions } from './admin/console/console-session.js';
import type { AccountSessions } from './account/account-session.js';

/** Tables, one store each (only stores and the oidc adapter touch the database). */
export interface Stores {
  users: UserStore;
  clients: ClientStore;
  /** Cached provider view of `clients` (client-lookup.ts). */
  clientLookup: ClientLookup;
  consents: ConsentStore;
  resources: ResourceStore;
  /** The audit log's write queue (security-events.ts)... */
  events: SecurityEvents;
  /** ...and its reader and verifier (audit-log.ts). */
  auditLog: AuditLog;
  throttle: ThrottleStore;
  keys: KeyStore;
  /** oidc_objects: every statement on it (oidc-object-store.ts). */
  oidcObjects: OidcObjectStore;
  /** The admin side of oidc_objects (sessions, revocation), over oidcObjects. */
  grants: GrantStore;
  exchangePolicies: ExchangePolicyStore;
  /** Second factors: TOTP authenticators and passkeys (mfa/factor-store.ts). */
  factors: FactorStore;
  /** Single-use recovery codes, keyed hashes (mfa/recovery-code-store.ts). */
  recoveryCodes: RecoveryCodeStore;
  /** Links sent by email: verification, reset, email change (users/user-token-store.ts). */
  userTokens: UserTokenStore;
}

/** Keys derived from the master secret, one purpose each (crypto/secret-box.ts). */
export interface Secrets {
  cookieKeys: string[];
  consoleClientSecret: string;
  accountClientSecret: string;
}

/** Pure rules with their configured numbers. */
export interface Policies {
  refresh: RefreshPolicy;
  throttle: ThrottleRules;
  /** Which requested resource scopes a user may be granted at consent (access/admin-access.ts). */
  consentScopes: ResourceScopeFilter;
  /** When a second factor is demanded, and the WebAuthn relying party (mfa/mfa-policy.ts). */
  mfa: MfaPolicy;
  /** What a new password must be (users/password-policy.ts). */
  password: PasswordPolicy;
}

/** What the browser flows use beyond the stores. */
export interface Services {
  /** Ends an account's sessions and grants with back-channel logout (oidc/end-sessions.ts). */
  endSessions: EndSessions;
  login: LoginService;
  csrf: Csrf;
  render: Render;
  /** Message catalogues, one file per language (locales/, i18n/i18n.ts). */
  i18n: I18n;
  /** Name, logo, colour, footer links, theme folder (branding/branding.ts). */
  branding: Branding;
  /** Outgoing email: SMTP, or the development outbox (mail/mailer.ts). */
  mailer: Mailer;
  /** Emails rendered from views/email/ and sent (mail/messages.ts). */
  messages: Messages;
  /** Verification links for any account (self-service/email-verification.ts). */
  emailVerification: EmailVerification;
  /** Self-registration (SELF_REGISTRATION) and its pending state in the browser (self-service/). */
  registration: Registration;
  pendingRegistrations: PendingRegistrations;
  /** Forgot password and reset by email link (password/reset-service.ts). */
  passwordReset: PasswordReset;
  consoleSessions: ConsoleSessions;
  /** WebAuthn ceremonies: passwordless, second factor, adding a passkey (mfa/passkeys.ts). */
  passkeys: Passkeys;
  accountSessions: AccountSessions;
  /** Second factors in browser flows: pending sign-in state, TOTP, recovery codes (mfa/mfa-services.ts). */
  mfa: MfaServices;
  /** First-run setup: the one-time URL and the first admin (welcome/first-run.ts). */
  firstRun: FirstRun;
}

/** Admin changes, audited in the service whichever surface (API, console, CLI) calls them. */
export interface AdminServices {
  clients: ClientAdmin;
  users: UserAdmin;
  /** A user's second factors: list, remove, reset, require (admin/mfa-admin.ts). */
  mfa: MfaAdmin;
  /** Verification emails sent on an admin's request (admin/email-admin.ts). */
  email: EmailAdmin;
  exchangePolicies: ExchangePolicyAdmin;
  registration: RegistrationAdmin;
  operations: OperationsAdmin;
  audit: AdminAudit;
}

export interface Composition {
  config: Config;
  log: Logger;
  db: Database;
  metrics: Metrics;
  secrets: Secrets;
  stores: Stores;
  policies: Policies;
  services: Services;
  admin: AdminServices;
  /** The one oidc-provider (per set of signing keys). */
  provider: ProviderHolder;
}
