// /admin/api/users/{userId}/factors: a user's second factors, removing one,
// resetting all (admin/mfa-admin.ts). Requiring MFA for a user is the
// `mfa_required` field of POST and PATCH /users (user-routes.ts).
import type Router from '@koa/router';
import type { MfaAdmin } from '../mfa-admin.js';
import { apiActor } from './bearer-auth.js';

export function addMfaRoutes(router: Router, mfa: MfaAdmin): void {
  router.get('/users/:userId/factors', async (ctx) => {
    ctx.body = await mfa.listFactors(ctx.params.userId!);
  });

  router.delete('/users/:userId/factors', async (ctx) => {
    ctx.body = await mfa.resetFactors(ctx.params.userId!, apiActor(ctx));
  });

  router.delete('/users/:userId/factors/:factorId', async (ctx) => {
    await mfa.removeFactor(ctx.params.userId!, ctx.params.factorId!, apiActor(ctx));
    ctx.status = 204;
  });
}
