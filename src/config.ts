// The only module that reads process.env. Every variable is documented in
// .env.example; a bad value stops start-up with one line naming it.
import { z } from 'zod';
import { configError } from './errors/domain-error.js';

const duration = z.coerce.number().int().positive();

function validIssuer(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return Boolean(url.hostname) && !url.search && !url.hash && !value.includes('#') && !value.includes('?');
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // An issuer is an https (or, in development, http) URL with no query or
  // fragment (OpenID Connect Discovery 1.0 §3, RFC 8414 §2): checked here so
  // the message names ISSUER instead of failing inside oidc-provider.
  ISSUER: z
    .string()
    .refine(validIssuer, 'must be an absolute http:// or https:// URL without a query or fragment, e.g. https://id.example.com')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  GATEHOUSE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z.stringbool().default(false),
  // How many proxies in front of Gatehouse append to X-Forwarded-For: the
  // client address is the entry that many places from the right.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  ACCESS_TOKEN_TTL: duration.default(3600),
  ID_TOKEN_TTL: duration.default(3600),
  AUTHORIZATION_CODE_TTL: duration.default(60),
  REFRESH_TOKEN_TTL: duration.default(14 * 24 * 3600),
  REFRESH_TOKEN_ABSOLUTE_TTL: duration.default(90 * 24 * 3600),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  SESSION_TTL: duration.default(14 * 24 * 3600),
  INTERACTION_TTL: duration.default(3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(30),
  PROTOCOL_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(100),
  THROTTLE_WINDOW_SECONDS: duration.default(900),
  LOCKOUT_BASE_SECONDS: duration.default(30),
  LOCKOUT_MAX_SECONDS: duration.default(900),
  KEY_ROTATION_DAYS: z.coerce.number().min(0).default(90),
  KEY_PUBLISH_AHEAD_SECONDS: z.coerce.number().int().min(0).default(86400),
  KEY_RETIRE_SECONDS: duration.default(7 * 86400),
  KEY_CHECK_INTERVAL_SECONDS: duration.default(60),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // RFC 7591/7592 dynamic client registration, behind initial access tokens.
  DYNAMIC_REGISTRATION: z.stringbool().default(false),
  // Changes on /account/security need a sign-in at most this old (src/account/).
  ACCOUNT_REAUTH_SECONDS: duration.max(86400).default(600),
  // Outbound requests (back-channel logout tokens, client jwks_uri) may go to
  // loopback and private addresses; off: oidc-provider refuses them (SSRF).
  OUTBOUND_PRIVATE_NETWORKS: z.stringbool().default(false),
  // Multi-factor sign-in (src/mfa/mfa-policy.ts): off, optional (users may
  // enrol; clients, admins and acr_values may demand it) or required for all.
  MFA_POLICY: z.enum(['off', 'optional', 'required']).default('optional'),
  // WebAuthn relying party id: default the issuer's host name (passkeys are
  // not offered when the issuer is an IP address).
  WEBAUTHN_RP_ID: z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/i, 'must be a domain name').optional(),
  WEBAUTHN_RP_NAME: z.string().min(1).max(100).default('Gatehouse'),
  // Email (src/mail/mailer.ts): smtp:// or smtps:// URL with credentials,
  // e.g. smtps://user:pass@mail.example.com:465. Unset in development:
  // messages are written to DATA_DIR/outbox instead (never in production).
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  // Self-service (issue 15): registration is off by default; when on, an
  // optional comma-separated allow-list of email domains limits who may register.
  SELF_REGISTRATION: z.stringbool().default(false),
  REGISTRATION_EMAIL_DOMAINS: z.string().max(4000).optional(),
  // "Forgot password" links by email. Default: on, except in production
  // without SMTP_URL (where asking for it is a start-up error).
  PASSWORD_RESET: z.stringbool().optional(),
  // NIST SP 800-63B §3.1.1.2: at least 8; Gatehouse never caps below 64.
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(8),
  // Branding (docs/branding.md): the name, logo and accent colour people see
  // on every page and email, footer links, and an override folder for views
  // and CSS. The logo is an https URL or a path under THEME_DIR (served at
  // /theme/...); the colour is applied through /static/brand.css (the CSP
  // forbids inline styles, src/http/security-headers.ts).
  BRAND_NAME: z.string().trim().min(1).max(100).default('Gatehouse'),
  BRAND_LOGO_URL: z.string().max(2000).refine((v) => /^https:\/\/[^\s"'<>]+$/.test(v) || /^[\w./-]+$/.test(v) && !v.split('/').includes('..'),
    'must be an https:// URL or a path under THEME_DIR').optional(),
  BRAND_PRIMARY_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a73e8').optional(),
  SUPPORT_URL: z.url({ protocol: /^https?$/ }).optional(),
  PRIVACY_URL: z.url({ protocol: /^https?$/ }).optional(),
  TERMS_URL: z.url({ protocol: /^https?$/ }).optional(),
  THEME_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Omit<Env, 'ISSUER' | 'NODE_ENV' | 'PASSWORD_RESET' | 'REGISTRATION_EMAIL_DOMAINS' | 'MAIL_FROM'> {
  env: Env['NODE_ENV'];
  issuer: string;
  production: boolean;
  PASSWORD_RESET: boolean;
  /** Lower-case domains allowed to self-register; empty: any. */
  REGISTRATION_EMAIL_DOMAINS: string[];
  MAIL_FROM: string;
}


export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in .env files mean "unset", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configError(`invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const { ISSUER, NODE_ENV, ...rest } = parsed.data;
  const production = NODE_ENV === 'production';
  if (production && !rest.GATEHOUSE_SECRET) {
    throw configError('invalid configuration: GATEHOUSE_SECRET is required in production');
  }
  if (production && !ISSUER) {
    throw configError('invalid configuration: ISSUER is required in production');
  }
  if (rest.KEY_RETIRE_SECONDS < Math.max(rest.ID_TOKEN_TTL, rest.ACCESS_TOKEN_TTL)) {
    throw configError('invalid configuration: KEY_RETIRE_SECONDS must be at least the longest token lifetime (ID_TOKEN_TTL, ACCESS_TOKEN_TTL)');
  }
  const issuer = (ISSUER ?? `http://localhost:${rest.PORT}`).replace(/\/$/, '');
  // Features that send email need SMTP in production (no outbox folder there).
  if (production && !rest.SMTP_URL) {
    if (rest.SELF_REGISTRATION) throw configError('invalid configuration: SELF_REGISTRATION needs SMTP_URL in production');
    if (rest.PASSWORD_RESET) throw configError('invalid configuration: PASSWORD_RESET needs SMTP_URL in production');
  }
  const PASSWORD_RESET = rest.PASSWORD_RESET ?? (!production || Boolean(rest.SMTP_URL));
  const REGISTRATION_EMAIL_DOMAINS = (rest.REGISTRATION_EMAIL_DOMAINS ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  const MAIL_FROM = rest.MAIL_FROM ?? `Gatehouse <no-reply@${new URL(issuer).hostname}>`;
  return { ...rest, env: NODE_ENV, issuer, production, PASSWORD_RESET, REGISTRATION_EMAIL_DOMAINS, MAIL_FROM };
}
