// The demo's web application: a confidential OpenID Connect client (auth code
// + PKCE with openid-client) that signs the user in at Gatehouse and calls the
// orders service with the user's access token.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import * as oidc from 'openid-client';

export interface WebAppDeps { issuer: string; clientId: string; clientSecret: string; orders: string; ordersAudience: string }

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse demo</title>
<link rel="stylesheet" href="DEMO_ISSUER/static/css/gatehouse.css"></head><body><div class="page"><main class="card">${body}</main></div></body></html>`;

export async function startWebApp(d: WebAppDeps, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The demo client is registered client_secret_basic (run.ts) and may use only that method.
  const config = await oidc.discovery(new URL(d.issuer), d.clientId, d.clientSecret, oidc.ClientSecretBasic(d.clientSecret), { execute: [oidc.allowInsecureRequests] });
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const sessions = new Map<string, { tokens: oidc.TokenEndpointResponse; claims: oidc.IDToken }>();
  const router = new Router();
  const html = (ctx: Koa.Context, body: string) => { ctx.type = 'html'; ctx.body = page(body).replace('DEMO_ISSUER', d.issuer); };
  const session = (ctx: Koa.Context) => sessions.get(ctx.cookies.get('demo_web') ?? '');

  router.get('/', (ctx) => {
    const s = session(ctx);
    html(ctx, s
      ? `<h1 class="card-title">Hello, ${esc(s.claims.name ?? s.claims.email ?? s.claims.sub)}</h1><p class="body-text">Signed in through Gatehouse.</p>
         <p><a class="button button--primary" id="call" href="/call">Call the orders service</a></p><p><a href="/logout">Sign out</a></p>`
      : `<h1 class="card-title">Gatehouse demo shop</h1><p class="body-text">Sign in to see your orders and invoices.</p><p><a class="button button--primary" id="login" href="/login">Sign in</a></p>`);
  });
  router.get('/login', async (ctx) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    pending.set(state, { verifier, nonce });
    ctx.redirect(oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${base}/callback`, scope: 'openid profile email orders:read', resource: d.ordersAudience, state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).href);
  });
  router.get('/callback', async (ctx) => {
    const state = String(ctx.query.state ?? '');
    const p = pending.get(state);
    if (!p) {
      ctx.throw(400, 'unknown or used state');
      return;
    }
    pending.delete(state);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(ctx.href), { pkceCodeVerifier: p.verifier, expectedState: state, expectedNonce: p.nonce });
    const sid = randomBytes(16).toString('base64url');
    sessions.set(sid, { tokens, claims: tokens.claims()! });
    ctx.cookies.set('demo_web', sid, { httpOnly: true, sameSite: 'lax' });
    ctx.redirect('/');
  });
  router.get('/call', async (ctx) => {
    const s = session(ctx);
    if (!s) return ctx.redirect('/');
    const res = await fetch(d.orders + 'orders', { headers: { authorization: `Bearer ${s.tokens.access_token}` } });
    const body = (await res.json()) as { billing?: { act?: unknown } };
    html(ctx, `<h1 class="card-title">Orders service answered ${res.status}</h1>
      <p class="body-text">The orders service exchanged your token for one that billing accepts. Billing saw this actor chain:</p>
      <pre id="act">${esc(JSON.stringify(body.billing?.act ?? null, null, 2))}</pre>
      <details open><summary>Full response</summary><pre id="result">${esc(JSON.stringify(body, null, 2))}</pre></details><p><a href="/">Back</a></p>`);
  });
  router.get('/logout', (ctx) => {
    const s = session(ctx);
    sessions.delete(ctx.cookies.get('demo_web') ?? '');
    ctx.redirect(s ? oidc.buildEndSessionUrl(config, { id_token_hint: s.tokens.id_token!, post_logout_redirect_uri: `${base}/` }).href : '/');
  });
  const app = new Koa();
  app.use(router.routes());
  server.on('request', app.callback());
  return { server, url: base };
}
