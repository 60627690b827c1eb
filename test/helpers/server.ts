// Starts a real listening Gatehouse (createApp via main.ts's composition) on a
// free loopback port, on the given backend.
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { compose, startServer, type Running, type Composition as Services } from '../../src/main.js';
import { createLogger, type Logger } from '../../src/http/logger.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestServer extends Running {
  issuer: string;
  services: Services;
}

/**
 * Host name of the issuer. 'localhost' gives WebAuthn a domain relying party
 * id (passkeys are off for an IP issuer: src/mfa/mfa-policy.ts); the server
 * still listens on 127.0.0.1, and Chromium resolves localhost to it and
 * treats it as a secure context.
 */
export type IssuerHost = '127.0.0.1' | 'localhost';

export async function startTestServer(env: Record<string, string>, logger: Logger = createLogger('error'), issuerHost: IssuerHost = '127.0.0.1'): Promise<TestServer> {
  const port = await freePort();
  const config = loadConfig({ ...env, PORT: String(port), HOST: '127.0.0.1', ISSUER: `http://${issuerHost}:${port}` });
  const services = await compose(config, logger);
  const running = await startServer(services);
  return { ...running, issuer: config.issuer, services };
}
