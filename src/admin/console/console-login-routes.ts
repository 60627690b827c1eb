// Sign-in, callback, sign-out and the console's front door.
import type Router from '@koa/router';
import { userMayAdminister } from '../../access/admin-access.js';
import { CONSOLE_CLIENT_ID, consoleUrls } from '../admin-setup.js';
import { finishLogin, isLoginFailed, startLogin } from './console-login.js';
import type { ConsoleDeps, ConsoleKit } from './console-router.js';

export function addLoginRoutes(router: Router, deps: ConsoleDeps, kit: ConsoleKit): void {
  const message = (title: string, text: string, link: { href: string; label: string }) => ({ title, text, link });

  router.get('/', ...kit.guard, (ctx) => {
    ctx.redirect('/admin/clients');
  });

  router.get('/login', (ctx) => startLogin(deps, ctx, String(ctx.query.return_to ?? '/admin')));

  router.get('/callback', async (ctx) => {
    try {
      const { sub, returnTo } = await finishLogin(deps, ctx);
      const allowed = userMayAdminister(await deps.users.findById(sub));
      await deps.events.record({ type: 'admin.console.login', outcome: allowed ? 'success' : 'denied', subject: sub, clientId: CONSOLE_CLIENT_ID, ip: ctx.ip });
      if (!allowed) {
        return kit.page(ctx, 'message', message('admin.login.noAccess', 'admin.login.noAccessText', { href: endSessionUrl(deps.issuer), label: 'admin.login.signOutAll' }), 403);
      }
      deps.sessions.start(ctx, sub);
      ctx.redirect(returnTo);
    } catch (err) {
      if (!isLoginFailed(err)) throw err;
      return kit.page(ctx, 'message', message('admin.login.failed', err.message, { href: '/admin/login', label: 'admin.login.retry' }), 400);
    }
  });

  router.post('/logout', ...kit.guard, (ctx) => {
    deps.sessions.end(ctx);
    ctx.status = 303;
    ctx.redirect(endSessionUrl(deps.issuer));
  });

  router.get('/signed-out', (ctx) =>
    kit.page(ctx, 'message', message('admin.login.signedOut', 'admin.login.signedOutText', { href: '/admin', label: 'admin.login.signInAgain' })));
}

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): Gatehouse
// asks whether to end the single sign-on session too.
function endSessionUrl(issuer: string): string {
  const url = new URL(`${issuer}/session/end`);
  url.search = new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, post_logout_redirect_uri: consoleUrls(issuer).signedOut }).toString();
  return url.href;
}
