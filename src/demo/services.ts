// The demo's two APIs. Service A ("orders") accepts the user's token,
// exchanges it (RFC 8693, delegation) for a narrower token for service B
// ("billing"), and calls B; B shows who it was called for and by whom.
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import { createAccessTokenVerifier, requireAccessToken } from '../resource-server/index.js';

export interface DemoService { server: Server; url: string }

async function listen(app: Koa, port: number): Promise<DemoService> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

export async function startBilling(issuer: string, audience: string, port: number): Promise<DemoService> {
  const app = new Koa();
  app.use(requireAccessToken(createAccessTokenVerifier({ issuer, audience }), { scopes: ['orders:read'], realm: 'billing' }));
  app.use((ctx) => {
    const auth = ctx.state.auth;
    ctx.body = { service: 'billing', invoices: [{ id: 'INV-1001', total: '42.00 EUR' }], for_user: auth.sub, scopes: auth.scopes, act: auth.act ?? null };
  });
  return listen(app, port);
}

export interface OrdersDeps { issuer: string; audience: string; billing: string; clientId: string; clientSecret: string }

export async function startOrders(d: OrdersDeps, port: number): Promise<DemoService> {
  const basic = `Basic ${Buffer.from(`${d.clientId}:${d.clientSecret}`).toString('base64')}`;
  const post = async (form: Record<string, string>) => {
    const res = await fetch(`${d.issuer}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const body = (await res.json()) as Record<string, string>;
    if (!res.ok) throw new Error(`token endpoint: ${body.error}: ${body.error_description}`);
    return body;
  };
  const app = new Koa();
  app.use(requireAccessToken(createAccessTokenVerifier({ issuer: d.issuer, audience: d.audience }), { scopes: ['orders:read'], realm: 'orders' }));
  app.use(async (ctx) => {
    const userToken = /^Bearer (.+)$/.exec(ctx.get('authorization'))![1]!;
    // A proves who it is with its own token, then asks for a token for B
    // carrying only orders:read, with itself as actor (RFC 8693 §2.1, §4.1).
    const actor = await post({ grant_type: 'client_credentials', resource: d.audience, scope: 'orders:read' });
    const exchanged = await post({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: userToken, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      actor_token: actor.access_token!, actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: d.billing, scope: 'orders:read',
    });
    const billing = await fetch(d.billing + 'invoices', { headers: { authorization: `Bearer ${exchanged.access_token}` } });
    ctx.body = { service: 'orders', orders: [{ id: 'ORD-7', item: 'Gate hinge', qty: 2 }], exchanged_scope: exchanged.scope, billing: await billing.json() };
  });
  return listen(app, port);
}
