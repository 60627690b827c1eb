// Console pages for users: list and search, create, disable and enable, end
// all of a user's sessions.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { UserAdmin } from '../user-admin.js';
import { userCreateSchema, userQuerySchema } from '../user-schemas.js';
import { parseInput, type DomainError } from '../../errors/domain-error.js';
import type { ConsoleKit } from './console-router.js';
import { fieldErrors, formAction, formError, userFormInput } from './forms.js';

const PAGE_SIZE = 20;
const NOTICES: Record<string, string> = {
  created: 'admin.notice.userCreated', disabled: 'admin.notice.userDisabled', enabled: 'admin.notice.userEnabled',
  signed_out: 'admin.notice.userSignedOut',
};

export function addUserPages(router: Router, users: UserAdmin, kit: ConsoleKit): void {
  const form = (ctx: Context, values: object, error?: DomainError) =>
    kit.page(ctx, 'user-form', {
      title: 'admin.users.new', values, errors: error ? fieldErrors(error) : {}, error: error ? formError(error) : null,
    }, error?.status);

  router.get('/users', ...kit.guard, async (ctx) => {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q : undefined;
    const query = parseInput(userQuerySchema, { q, limit: PAGE_SIZE, offset: ctx.query.offset ?? 0 });
    const page = await users.list(query);
    await kit.page(ctx, 'users', { title: 'admin.nav.users', page, q: query.q ?? '', notice: NOTICES[String(ctx.query.notice)] ?? null });
  });

  router.get('/users/new', ...kit.guard, (ctx) => form(ctx, { email: '', name: '', roles: [], email_verified: false, phone_number: '', phone_number_verified: false }));

  router.post('/users', ...kit.guard, async (ctx) => {
    const input = userFormInput((ctx.request.body ?? {}) as Record<string, unknown>);
    const created = await formAction(() => users.create(parseInput(userCreateSchema, input), kit.actor(ctx)), (error) => form(ctx, { ...input, password: '' }, error));
    if (!created) return;
    ctx.status = 303;
    ctx.redirect('/admin/users?notice=created');
  });

  router.post('/users/:userId/sessions/revoke', ...kit.guard, async (ctx) => {
    await users.revokeSessions(ctx.params.userId!, kit.actor(ctx));
    ctx.status = 303;
    ctx.redirect('/admin/users?notice=signed_out');
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/users/:userId/${action}`, ...kit.guard, async (ctx) => {
      await users.setDisabled(ctx.params.userId!, disabled, kit.actor(ctx));
      ctx.status = 303;
      ctx.redirect(`/admin/users?notice=${action}d`);
    });
  }
}
