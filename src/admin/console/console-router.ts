// The admin web console under /admin: server-rendered pages in the login
// pages' look, for users with the admin role. Its own router and credentials
// (the console session cookie, see console-session.ts); every form carries a
// CSRF token bound to the console session.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { Render } from '../../http/views.js';
import type { Csrf } from '../../interaction/csrf.js';
import type { UserStore } from '../../users/user-store.js';
import type { SecurityEvents } from '../../security/security-events.js';
import type { ClientAdmin } from '../client-admin.js';
import type { UserAdmin } from '../user-admin.js';
import type { MfaAdmin } from '../mfa-admin.js';
import { userMayAdminister } from '../../access/admin-access.js';
import { CONSOLE_CLIENT_ID } from '../admin-setup.js';
import type { AdminActor } from '../../security/admin-audit.js';
import type { Logger } from '../../http/logger.js';
import type { ConsoleSessions } from './console-session.js';
import { startLogin, type ConsoleLoginDeps } from './console-login.js';
import { addLoginRoutes } from './console-login-routes.js';
import { addClientPages } from './client-pages.js';
import { addUserPages } from './user-pages.js';
import { addUserMfaPages } from './user-mfa-pages.js';

export interface ConsoleDeps extends ConsoleLoginDeps {
  render: Render;
  csrf: Csrf;
  sessions: ConsoleSessions;
  users: UserStore;
  events: SecurityEvents;
  log: Logger;
  clientAdmin: ClientAdmin;
  userAdmin: UserAdmin;
  mfaAdmin: MfaAdmin;
}

export interface ConsoleState {
  userId: string;
  email: string;
  csrfToken: string;
}

export interface ConsoleKit {
  /** Parses the form, then requires a signed-in admin (and a valid CSRF token on POST). */
  guard: Middleware[];
  page(ctx: Context, view: string, locals: Record<string, unknown>, status?: number): Promise<void>;
  /** The signed-in admin, through the console's own client, for the audit trail (src/security/admin-audit.ts). */
  actor(ctx: Context): AdminActor;
}

const csrfSubject = (sid: string) => `admin-console:${sid}`;

function buildGuard(deps: ConsoleDeps): Middleware {
  return async (ctx, next) => {
    const session = deps.sessions.current(ctx);
    if (!session) {
      ctx.status = ctx.method === 'GET' ? 302 : 303;
      return startLogin(deps, ctx, ctx.method === 'GET' ? ctx.originalUrl : '/admin');
    }
    const user = await deps.users.findById(session.sub);
    if (!userMayAdminister(user)) {
      deps.sessions.end(ctx);
      ctx.throw(403, 'Your account does not have access to the admin console.', { reason: 'forbidden' });
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !deps.csrf.verify(csrfSubject(session.sid), (ctx.request.body as Record<string, unknown>)?._csrf)) {
      ctx.throw(403, 'This form has expired. Please go back, reload the page and try again.', { reason: 'csrf' });
    }
    ctx.state.console = { userId: user!.id, email: user!.email, csrfToken: deps.csrf.token(csrfSubject(session.sid)) } satisfies ConsoleState;
    await next();
  };
}

export function buildConsole(deps: ConsoleDeps): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(async (ctx, next) => {
    await next();
    ctx.set('Cache-Control', 'no-store'); // pages may show a secret once
  });
  const kit: ConsoleKit = {
    guard: [bodyParser({ enableTypes: ['form'], formLimit: '32kb' }), buildGuard(deps)],
    async page(ctx, view, locals, status = 200) {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = await deps.render(`admin/${view}`, { lang: ctx.state.lang, ...locals, console: ctx.state.console });
    },
    actor: (ctx) => ({ subject: (ctx.state.console as ConsoleState).userId, clientId: CONSOLE_CLIENT_ID, via: 'console', ip: ctx.ip }),
  };
  addLoginRoutes(router, deps, kit);
  addClientPages(router, deps.clientAdmin, kit);
  addUserPages(router, deps.userAdmin, kit);
  addUserMfaPages(router, { users: deps.userAdmin, mfa: deps.mfaAdmin }, kit);
  return router;
}
