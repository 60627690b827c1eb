// /admin/api/users: thin routes (parse, one call, respond).
import type Router from '@koa/router';
import type { UserAdmin } from '../user-admin.js';
import { passwordResetSchema, userCreateSchema, userQuerySchema, userUpdateSchema } from '../user-schemas.js';
import { parseInput } from '../../errors/domain-error.js';
import { apiActor as actor } from './bearer-auth.js';

export function addUserRoutes(router: Router, users: UserAdmin): void {
  router.get('/users', async (ctx) => {
    ctx.body = await users.list(parseInput(userQuerySchema, ctx.query));
  });

  router.post('/users', async (ctx) => {
    const user = await users.create(parseInput(userCreateSchema, ctx.request.body), actor(ctx));
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${user.id}`);
    ctx.body = user;
  });

  router.get('/users/:userId', async (ctx) => {
    ctx.body = await users.get(ctx.params.userId!);
  });

  router.patch('/users/:userId', async (ctx) => {
    ctx.body = await users.update(ctx.params.userId!, parseInput(userUpdateSchema, ctx.request.body), actor(ctx));
  });

  router.post('/users/:userId/disable', async (ctx) => {
    ctx.body = await users.setDisabled(ctx.params.userId!, true, actor(ctx));
  });

  router.post('/users/:userId/enable', async (ctx) => {
    ctx.body = await users.setDisabled(ctx.params.userId!, false, actor(ctx));
  });

  router.post('/users/:userId/password', async (ctx) => {
    const { password } = parseInput(passwordResetSchema, ctx.request.body ?? {});
    ctx.body = await users.resetPassword(ctx.params.userId!, password, actor(ctx));
  });
}
