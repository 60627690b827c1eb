// /admin/api/registration-tokens: mint an initial access token (RFC 7591 §3).
import type Router from '@koa/router';
import { registrationTokenSchema, type RegistrationAdmin } from '../registration-admin.js';
import { parseInput } from '../../errors/domain-error.js';
import { apiActor } from './bearer-auth.js';

export function addRegistrationRoutes(router: Router, registration: RegistrationAdmin): void {
  router.post('/registration-tokens', async (ctx) => {
    ctx.status = 201;
    ctx.body = await registration.mint(parseInput(registrationTokenSchema, ctx.request.body ?? {}), apiActor(ctx));
  });
}
