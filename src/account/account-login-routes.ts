// Sign-in, "confirm it's you", callback and sign-out of the account pages.
import type Router from '@koa/router';
import { finishCodeFlow, isLoginFailed, type SelfClient } from '../self-client/code-flow.js';
import { ACCOUNT_CLIENT_ID, accountUrls } from './account-setup.js';
import type { AccountDeps, AccountKit } from './account-router.js';

type Link = { href: string; label: string };
const message = (title: string, text: string, link: Link) => ({ title, text, link });

export function addLoginRoutes(router: Router, deps: AccountDeps, client: SelfClient, kit: AccountKit): void {
  // `fresh=1`: the "confirm it's you" button; max_age makes the login page ask
  // for the password (and, with MFA, the second factor) again.
  router.get('/login', (ctx) => kit.signIn(ctx, String(ctx.query.return_to ?? '/account/security'), ctx.query.fresh === '1'));

  router.get('/callback', async (ctx) => {
    try {
      const { sub, authTime, returnTo } = await finishCodeFlow(client, ctx);
      const user = await deps.users.findById(sub);
      if (!user || user.disabled) {
        return kit.page(ctx, 'message', message('account.security.signIn.failed', 'account.security.signIn.unusable', { href: '/account/login', label: 'account.security.signIn.retry' }), 403);
      }
      deps.sessions.start(ctx, sub, authTime);
      ctx.redirect(returnTo);
    } catch (err) {
      if (!isLoginFailed(err)) throw err;
      return kit.page(ctx, 'message', message('account.security.signIn.failed', err.message, { href: '/account/login', label: 'account.security.signIn.retry' }), 400);
    }
  });

  router.post('/logout', ...kit.guard, (ctx) => {
    deps.sessions.end(ctx);
    ctx.status = 303;
    ctx.redirect(endSessionUrl(deps.issuer));
  });

  router.get('/signed-out', (ctx) =>
    kit.page(ctx, 'message', message('logout.done.title', 'account.security.signedOut', { href: '/account/security', label: 'account.security.signInAgain' })));
}

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): Gatehouse
// asks whether to end the single sign-on session too.
function endSessionUrl(issuer: string): string {
  const url = new URL(`${issuer}/session/end`);
  url.search = new URLSearchParams({ client_id: ACCOUNT_CLIENT_ID, post_logout_redirect_uri: accountUrls(issuer).signedOut }).toString();
  return url.href;
}
