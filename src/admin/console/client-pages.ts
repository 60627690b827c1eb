// Console pages for clients: list, create (secret shown once), edit, rotate
// the secret (shown once), delete after a confirmation page.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientAdmin } from '../client-admin.js';
import { clientCreateSchema, clientUpdateSchema, pageSchema } from '../client-schemas.js';
import { parseInput, type DomainError } from '../../errors/domain-error.js';
import { SYSTEM_CLIENT_IDS } from '../admin-setup.js';
import type { ConsoleKit } from './console-router.js';
import { clientFormInput, fieldErrors, formAction, formError } from './forms.js';

const PAGE_SIZE = 20;
const NEW_CLIENT = {
  client_name: '', redirect_uris: [], post_logout_redirect_uris: [], grant_types: ['authorization_code', 'refresh_token'],
  scope: 'openid profile email', token_endpoint_auth_method: 'client_secret_basic', first_party: false, admin: false,
};

const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;

function pages(kit: ConsoleKit) {
  const form = (ctx: Context, locals: { values: object; clientId?: string; error?: DomainError; notice?: string }, status?: number) =>
    kit.page(ctx, 'client-form', {
      title: locals.clientId ? 'admin.clients.edit' : 'admin.clients.new', values: locals.values, clientId: locals.clientId ?? null,
      errors: locals.error ? fieldErrors(locals.error) : {}, error: locals.error ? formError(locals.error) : null, notice: locals.notice ?? null,
      system: SYSTEM_CLIENT_IDS.includes(locals.clientId ?? ''),
    }, status);
  const secretPage = (ctx: Context, title: string, clientId: string, secret: string, status = 200) =>
    kit.page(ctx, 'client-secret', { title, clientId, secret }, status);
  return { form, secretPage };
}

export function addClientPages(router: Router, clients: ClientAdmin, kit: ConsoleKit): void {
  const { form, secretPage } = pages(kit);
  router.get('/clients', ...kit.guard, async (ctx) => {
    const offset = parseInput(pageSchema, { offset: ctx.query.offset ?? 0 }).offset;
    const page = await clients.list({ limit: PAGE_SIZE, offset });
    await kit.page(ctx, 'clients', { title: 'admin.nav.clients', page, notice: ctx.query.notice === 'deleted' ? 'admin.notice.clientDeleted' : null });
  });

  router.get('/clients/new', ...kit.guard, (ctx) => form(ctx, { values: NEW_CLIENT }));

  router.post('/clients', ...kit.guard, async (ctx) => {
    const input = clientFormInput(body(ctx), 'create');
    const created = await formAction(() => clients.create(parseInput(clientCreateSchema, input), kit.actor(ctx)), (error) => form(ctx, { values: input, error }, error.status));
    if (!created) return;
    if (created.client_secret) return secretPage(ctx, 'admin.secret.created', created.client.client_id, created.client_secret, 201);
    ctx.status = 303;
    ctx.redirect(`/admin/clients/${encodeURIComponent(created.client.client_id)}?notice=created`);
  });
  addClientEditPages(router, clients, kit);
}

function addClientEditPages(router: Router, clients: ClientAdmin, kit: ConsoleKit): void {
  const { form, secretPage } = pages(kit);

  router.get('/clients/:clientId', ...kit.guard, async (ctx) => {
    const client = await clients.get(ctx.params.clientId!);
    const notice = ctx.query.notice === 'created' ? 'admin.notice.clientCreated' : ctx.query.notice === 'saved' ? 'admin.notice.saved' : undefined;
    await form(ctx, { values: client, clientId: client.client_id, ...(notice ? { notice } : {}) });
  });

  router.post('/clients/:clientId', ...kit.guard, async (ctx) => {
    const clientId = ctx.params.clientId!;
    const input = clientFormInput(body(ctx), 'update');
    const updated = await formAction(() => clients.update(clientId, parseInput(clientUpdateSchema, input), kit.actor(ctx)), (error) => form(ctx, { values: input, clientId, error }, error.status));
    if (!updated) return;
    if (updated.client_secret) return secretPage(ctx, 'admin.secret.title', clientId, updated.client_secret);
    ctx.status = 303;
    ctx.redirect(`/admin/clients/${encodeURIComponent(clientId)}?notice=saved`);
  });

  router.post('/clients/:clientId/secret', ...kit.guard, async (ctx) => {
    const { client_id, client_secret } = await clients.rotateSecret(ctx.params.clientId!, kit.actor(ctx));
    await secretPage(ctx, 'admin.secret.rotated', client_id, client_secret);
  });

  router.get('/clients/:clientId/delete', ...kit.guard, async (ctx) => {
    await kit.page(ctx, 'client-delete', { title: 'admin.clients.delete.title', client: await clients.get(ctx.params.clientId!) });
  });

  router.post('/clients/:clientId/delete', ...kit.guard, async (ctx) => {
    await clients.remove(ctx.params.clientId!, kit.actor(ctx));
    ctx.status = 303;
    ctx.redirect('/admin/clients?notice=deleted');
  });
}
