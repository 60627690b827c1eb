// /admin/api/clients/{clientId}/exchange-policy: a client's RFC 8693 policy.
import type Router from '@koa/router';
import type { ExchangePolicyAdmin } from '../../exchange/exchange-policy-admin.js';
import { exchangePolicySchema } from '../../exchange/exchange-policy-schema.js';
import { parseInput } from '../../errors/domain-error.js';
import { apiActor } from './bearer-auth.js';

export function addExchangePolicyRoutes(router: Router, policies: ExchangePolicyAdmin): void {
  router.get('/clients/:clientId/exchange-policy', async (ctx) => {
    ctx.body = await policies.get(ctx.params.clientId!);
  });
  router.put('/clients/:clientId/exchange-policy', async (ctx) => {
    ctx.body = await policies.set(ctx.params.clientId!, parseInput(exchangePolicySchema, ctx.request.body), apiActor(ctx));
  });
  router.delete('/clients/:clientId/exchange-policy', async (ctx) => {
    await policies.remove(ctx.params.clientId!, apiActor(ctx));
    ctx.status = 204;
  });
}
