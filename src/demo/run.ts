// `gatehouse demo` / `npm run demo`: Gatehouse on a fresh embedded store plus
// a web app and two services, wired for the RFC 8693 delegation story in
// docs/microservices.md. Everything listens on 127.0.0.1; nothing is fetched
// from outside.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { compose, startServer } from '../main.js';
import { createLogger } from '../http/logger.js';
import { startBilling, startOrders } from './services.js';
import { startWebApp } from './web-app.js';
import { TOKEN_EXCHANGE } from '../oidc/grants/token-exchange/urns.js';

export const DEMO_USER = { email: 'demo@example.com', password: 'gatehouse-demo', name: 'Demo User' };

export interface Demo { webApp: string; issuer: string; orders: string; billing: string; ordersClientId: string; stop(): Promise<void> }

export async function runDemo(base: Config, basePort: number): Promise<Demo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
  const issuer = `http://127.0.0.1:${basePort}`;
  const config = loadConfig({ PORT: String(basePort), HOST: '127.0.0.1', ISSUER: issuer, DATA_DIR: dataDir, LOG_LEVEL: base.LOG_LEVEL === 'info' ? 'warn' : base.LOG_LEVEL });
  const s = await compose(config, createLogger(config.LOG_LEVEL));
  const [ordersUrl, billingUrl] = [`http://127.0.0.1:${basePort + 2}/`, `http://127.0.0.1:${basePort + 3}/`];
  await s.stores.users.create({ ...DEMO_USER, emailVerified: true });
  await s.stores.resources.create({ indicator: ordersUrl, name: 'Orders service', scopes: ['orders:read', 'orders:write'], accessTokenTtl: 600 });
  await s.stores.resources.create({ indicator: billingUrl, name: 'Billing service', scopes: ['orders:read'], accessTokenTtl: 120 });
  const web = await s.stores.clients.create({ name: 'Demo shop', redirectUris: [`http://127.0.0.1:${basePort + 1}/callback`], postLogoutRedirectUris: [`http://127.0.0.1:${basePort + 1}/`], scope: 'openid profile email' });
  const orders = await s.stores.clients.create({ name: 'Orders service', redirectUris: [], grantTypes: ['client_credentials', TOKEN_EXCHANGE] });
  await s.stores.exchangePolicies.set({ clientId: orders.clientId, audiences: [billingUrl], subjectAudiences: [ordersUrl], mayImpersonate: false, maxTtl: 120, allowRefreshTokenSubject: false, allowIdTokenSubject: false });

  const gatehouse = await startServer(s);
  const billing = await startBilling(issuer, billingUrl, basePort + 3);
  const ordersSvc = await startOrders({ issuer, audience: ordersUrl, billing: billingUrl, clientId: orders.clientId, clientSecret: orders.clientSecret! }, basePort + 2);
  const webApp = await startWebApp({ issuer, clientId: web.clientId, clientSecret: web.clientSecret!, orders: ordersUrl, ordersAudience: ordersUrl }, basePort + 1);
  return {
    webApp: webApp.url, issuer, orders: ordersSvc.url, billing: billing.url, ordersClientId: orders.clientId,
    async stop() {
      for (const srv of [webApp.server, ordersSvc.server, billing.server]) {
        srv.closeAllConnections();
        await new Promise((r) => srv.close(() => r(undefined)));
      }
      await gatehouse.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
