// "Add a passkey" on /account/security: the passkeys helper's registration
// ceremony (src/mfa/passkeys.ts: options with the user's passkeys excluded,
// attestation none, audited mfa.passkey.enrol) driven by its page script
// (public/js/passkey.js) against JSON endpoints here. The challenge ticket
// rides in a cookie scoped to these endpoints and is bound to the account
// session, so it cannot be replayed from another session or another page.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { PASSKEY_MESSAGES, type Passkeys } from '../mfa/passkeys.js';
import { verifyBody } from '../mfa/passkey-http.js';
import type { RecoveryCodes } from '../mfa/recovery-codes.js';
import type { UserStore } from '../users/user-store.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';
import type { AccountKit } from './account-router.js';
import { jsonError } from './json-error.js';

export interface PasskeyPageDeps {
  passkeys: Passkeys;
  recovery: RecoveryCodes;
  users: UserStore;
}

const PATH = '/account/security/passkeys';
const COOKIE = 'gatehouse.account.passkey';

export function addPasskeyPages(router: Router, deps: PasskeyPageDeps, kit: AccountKit): void {
  const binding = (ctx: Context) => `account:${kit.state(ctx).sessionId}`;
  const cookie = (ctx: Context, value: string, seconds: number) =>
    ctx.cookies.set(COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: PATH, maxAge: seconds * 1000, overwrite: true, signed: false });

  router.get('/security/passkeys', ...kit.guard, kit.recent, (ctx) => kit.page(ctx, 'passkey', { title: 'account.security.passkey.title' }));

  router.post('/security/passkeys/options', ...kit.json, async (ctx) => {
    const user = await deps.users.findById(kit.state(ctx).userId);
    if (!user) return jsonError(ctx, 401, 'You are signed out. Please reload the page and sign in again.', 'signedOut');
    const { options, ticket } = await deps.passkeys.registrationOptions(user, binding(ctx));
    cookie(ctx, ticket, deps.passkeys.ttlSeconds);
    ctx.body = options;
  });

  router.post('/security/passkeys/verify', ...kit.json, async (ctx) => {
    const ticket = ctx.cookies.get(COOKIE, { signed: false });
    cookie(ctx, '', 0); // one verification per ticket
    const user = await deps.users.findById(kit.state(ctx).userId);
    const body = verifyBody.safeParse(ctx.request.body);
    if (!user || !body.success) return jsonError(ctx, 400, PASSKEY_MESSAGES.invalid, 'invalid');
    const result = await deps.passkeys.verifyRegistration({
      user, binding: binding(ctx), ticket, response: body.data.response as never, name: body.data.name,
      request: { ip: ctx.ip, clientId: ACCOUNT_CLIENT_ID },
    });
    if (!result.ok) return jsonError(ctx, 400, PASSKEY_MESSAGES[result.reason], result.reason);
    ctx.body = { redirect: `${PATH}/added` };
  });

  // Where the script goes after registering. A user without unused recovery
  // codes (this was the first factor) gets ten, shown once: a reload finds
  // ten unused and shows the security page instead.
  router.get('/security/passkeys/added', ...kit.guard, kit.recent, async (ctx) => {
    const { userId } = kit.state(ctx);
    if ((await deps.recovery.remaining(userId)) === 0) {
      const codes = await deps.recovery.enrol(userId, { ip: ctx.ip, clientId: ACCOUNT_CLIENT_ID });
      return kit.page(ctx, 'recovery-codes', { title: 'mfa.codes.title', codes, first: true });
    }
    ctx.redirect('/account/security?notice=passkey_added');
  });
}
