// /admin/api/users/{userId}/verification-email: send the user a new email
// verification link (admin/email-admin.ts). Thin: one call, respond.
import type Router from '@koa/router';
import type { EmailAdmin } from '../email-admin.js';
import { apiActor } from './bearer-auth.js';

export function addEmailRoutes(router: Router, email: EmailAdmin): void {
  router.post('/users/:userId/verification-email', async (ctx) => {
    ctx.status = 202;
    ctx.body = await email.sendVerification(ctx.params.userId!, apiActor(ctx));
  });
}
