// /admin/api/clients: thin routes (parse, one call, respond).
import type Router from '@koa/router';
import type { ClientAdmin } from '../client-admin.js';
import { clientCreateSchema, clientUpdateSchema, pageSchema } from '../client-schemas.js';
import { parseInput } from '../../errors/domain-error.js';
import { apiActor } from './bearer-auth.js';

export function addClientRoutes(router: Router, clients: ClientAdmin): void {
  router.get('/clients', async (ctx) => {
    ctx.body = await clients.list(parseInput(pageSchema, ctx.query));
  });

  router.post('/clients', async (ctx) => {
    const { client, client_secret } = await clients.create(parseInput(clientCreateSchema, ctx.request.body), apiActor(ctx));
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${encodeURIComponent(client.client_id)}`);
    ctx.body = { ...client, client_secret };
  });

  router.get('/clients/:clientId', async (ctx) => {
    ctx.body = await clients.get(ctx.params.clientId!);
  });

  router.patch('/clients/:clientId', async (ctx) => {
    const { client, client_secret } = await clients.update(ctx.params.clientId!, parseInput(clientUpdateSchema, ctx.request.body), apiActor(ctx));
    // A secret appears only when the update made the client confidential.
    ctx.body = client_secret ? { ...client, client_secret } : client;
  });

  router.delete('/clients/:clientId', async (ctx) => {
    await clients.remove(ctx.params.clientId!, apiActor(ctx));
    ctx.status = 204;
  });

  router.post('/clients/:clientId/secret', async (ctx) => {
    ctx.body = await clients.rotateSecret(ctx.params.clientId!, apiActor(ctx));
  });
}
