// /admin/api/users/{userId}/sessions: list a user's sessions, end one or all.
import type Router from '@koa/router';
import type { UserAdmin } from '../user-admin.js';
import { apiActor } from './bearer-auth.js';

export function addSessionRoutes(router: Router, users: UserAdmin): void {
  router.get('/users/:userId/sessions', async (ctx) => {
    ctx.body = { items: await users.sessions(ctx.params.userId!) };
  });

  router.delete('/users/:userId/sessions', async (ctx) => {
    ctx.body = await users.revokeSessions(ctx.params.userId!, apiActor(ctx));
  });

  router.delete('/users/:userId/sessions/:sessionId', async (ctx) => {
    await users.revokeSession(ctx.params.userId!, ctx.params.sessionId!, apiActor(ctx));
    ctx.status = 204;
  });
}
