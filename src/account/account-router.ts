// The end user's own pages under /account (issue 14: second factors on
// /account/security; issue 15 grows it into profile, password, sessions and
// apps). Gatehouse's own client signs the user in (account-login-routes.ts);
// the session is the sealed cookie of account-session.ts, and every form
// carries a CSRF token bound to that session.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { Render } from '../http/views.js';
import type { Csrf } from '../interaction/csrf.js';
import type { UserStore } from '../users/user-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { TokenVerifier } from '../self-client/token-verifier.js';
import { startCodeFlow, type SelfClient } from '../self-client/code-flow.js';
import { ACCOUNT_CLIENT_ID, accountUrls } from './account-setup.js';
import { ACCOUNT_MAX_AGE, safeAccountPath, signedInRecently, type AccountSessions } from './account-session.js';
import type { FactorChanges } from './factor-changes.js';
import { addLoginRoutes } from './account-login-routes.js';
import { addSecurityPages } from './security-pages.js';
import { jsonError } from './json-error.js';
import { addTotpPages, type TotpPageDeps } from './totp-pages.js';
import { addPasskeyPages, type PasskeyPageDeps } from './passkey-pages.js';
import type { MfaMode } from '../mfa/mfa-policy.js';
import { addSelfServicePages, type SelfServiceDeps } from './self-service-pages.js';

export interface AccountDeps {
  issuer: string;
  clientSecret: string;
  verifier: TokenVerifier;
  sessions: AccountSessions;
  render: Render;
  csrf: Csrf;
  users: UserStore;
  events: SecurityEvents;
  factorChanges: FactorChanges;
  /** Adding an authenticator app: the sign-in flow's TOTP enrolment and recovery codes (services.mfa). */
  enrol: TotpPageDeps;
  /** Adding a passkey (services.passkeys); not offered when the issuer is an IP address (no WebAuthn RP id). */
  passkeys: Omit<PasskeyPageDeps, 'users'>;
  /** MFA_POLICY: with 'off' nothing can be added (existing factors can still be removed). */
  mfaMode: MfaMode;
  /** How old a sign-in may be for a change (ACCOUNT_REAUTH_SECONDS). */
  reauthSeconds: number;
  /** Profile, password, sessions and apps (issue 15). */
  selfService: SelfServiceDeps;
}

export interface AccountState {
  userId: string;
  email: string;
  name: string | null;
  csrfToken: string;
  /** Signed in within reauthSeconds: changes are allowed. */
  recent: boolean;
  /** Random per account session: binds a passkey ceremony's challenge to it (mfa/passkey-challenge.ts). */
  sessionId: string;
}

export interface AccountKit {
  /** Parses the form, then requires a signed-in user (and a valid CSRF token on POST). */
  guard: Middleware[];
  /** After the guard on routes that change something: a recent sign-in, else the "confirm it's you" page. */
  recent: Middleware;
  /** For the page script's JSON endpoints: a session, a recent sign-in and the CSRF token in X-CSRF-Token; JSON errors. */
  json: Middleware[];
  page(ctx: Context, view: string, locals: Record<string, unknown>, status?: number): Promise<void>;
  state(ctx: Context): AccountState;
  /** Sends the browser through Gatehouse's sign-in; `fresh` demands a recent one (max_age). */
  signIn(ctx: Context, returnTo: string, fresh: boolean): void;
}

const csrfSubject = (sid: string) => `account:${sid}`;
const SECTIONS = new Set(['security', 'password', 'sessions', 'apps']);
/** The page a change belongs to (where "confirm it's you" returns): /account/<section>, else the profile. */
const sectionOf = (path: string) => {
  const section = path.split('/')[2] ?? '';
  return SECTIONS.has(section) ? `/account/${section}` : '/account';
};

export function buildAccount(deps: AccountDeps): Router {
  const client: SelfClient = {
    issuer: deps.issuer, clientId: ACCOUNT_CLIENT_ID, clientSecret: deps.clientSecret,
    redirectUri: accountUrls(deps.issuer).callback, sessions: deps.sessions, verifier: deps.verifier,
  };
  const kit: AccountKit = {
    guard: [bodyParser({ enableTypes: ['form'], formLimit: '16kb' }), buildGuard(deps, (ctx, to) => kit.signIn(ctx, to, false))],
    json: [bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }), buildJsonGuard(deps)],
    recent: async (ctx, next) => {
      if (kit.state(ctx).recent) return next();
      await kit.page(ctx, 'confirm', { title: 'account.security.confirm.title', returnTo: sectionOf(ctx.path) }, 403);
    },
    async page(ctx, view, locals, status = 200) {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = await deps.render(`account/${view}`, { lang: ctx.state.lang, ...locals, account: ctx.state.account });
    },
    state: (ctx) => ctx.state.account as AccountState,
    signIn: (ctx, returnTo, fresh) => startCodeFlow(client, ctx, safeAccountPath(returnTo), fresh ? deps.reauthSeconds : ACCOUNT_MAX_AGE),
  };
  const router = new Router({ prefix: '/account' });
  router.use(async (ctx, next) => {
    await next();
    ctx.set('Cache-Control', 'no-store'); // pages may show recovery codes or a secret once
  });
  addLoginRoutes(router, deps, client, kit);
  addSelfServicePages(router, deps.selfService, kit);
  const on = deps.mfaMode !== 'off';
  const passkeys = on && deps.passkeys.passkeys.enabled;
  addSecurityPages(router, deps.factorChanges, kit, { totp: on, passkey: passkeys });
  if (on) addTotpPages(router, deps.enrol, kit);
  if (passkeys) addPasskeyPages(router, { ...deps.passkeys, users: deps.users }, kit);
  return router;
}

function buildGuard(deps: AccountDeps, signIn: (ctx: Context, returnTo: string) => void): Middleware {
  return async (ctx, next) => {
    const session = deps.sessions.current(ctx);
    const user = session ? await deps.users.findById(session.sub) : null;
    if (!session || !user || user.disabled) {
      if (session) deps.sessions.end(ctx);
      ctx.status = ctx.method === 'GET' ? 302 : 303;
      return signIn(ctx, ctx.method === 'GET' ? ctx.originalUrl : sectionOf(ctx.path));
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !deps.csrf.verify(csrfSubject(session.sid), (ctx.request.body as Record<string, unknown>)?._csrf)) {
      ctx.throw(403, 'This form has expired. Please go back, reload the page and try again.', { reason: 'csrf' });
    }
    ctx.state.account = {
      userId: user.id, email: user.email, name: user.name ?? null, csrfToken: deps.csrf.token(csrfSubject(session.sid)),
      recent: signedInRecently(session, deps.reauthSeconds), sessionId: session.sid,
    } satisfies AccountState;
    await next();
  };
}

function buildJsonGuard(deps: AccountDeps): Middleware {
  return async (ctx, next) => {
    const session = deps.sessions.current(ctx);
    const user = session ? await deps.users.findById(session.sub) : null;
    if (!session || !user || user.disabled) return jsonError(ctx, 401, 'You are signed out. Please reload the page and sign in again.', 'signedOut');
    if (!deps.csrf.verify(csrfSubject(session.sid), ctx.get('x-csrf-token'))) return jsonError(ctx, 403, 'This page has expired. Please reload it and try again.', 'pageExpired');
    if (!signedInRecently(session, deps.reauthSeconds)) return jsonError(ctx, 403, 'Please sign in again to confirm it’s you, then add the passkey.', 'reauth');
    ctx.state.account = {
      userId: user.id, email: user.email, name: user.name ?? null, csrfToken: deps.csrf.token(csrfSubject(session.sid)), recent: true, sessionId: session.sid,
    } satisfies AccountState;
    await next();
  };
}
