// The shared setup of integration and browser tests: a fresh database per
// test file (PostgreSQL database or PGlite directory, see databases.ts) and a
// real listening Gatehouse on it, registered as beforeAll/afterAll of the
// enclosing describe. Call these at describe level; the returned objects are
// live handles whose properties work once the beforeAll has run (in later
// hooks and in tests). afterAll hooks run in reverse order (vitest's default
// 'stack'), so a file's own afterAll still sees the server running.
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { compose, ensureSystemClients, type Composition as Services } from '../../src/main.js';
import { createLogger, type Logger } from '../../src/http/logger.js';
import { createTestStore, type Backend, type TestStore } from './databases.js';
import { startTestServer, type IssuerHost, type TestServer } from './server.js';

/** A test database, created before and dropped after the enclosing describe. */
export interface StoreFixture {
  readonly backend: Backend;
  readonly env: Record<string, string>;
}

export function useStore(backend: Backend): StoreFixture {
  let store: TestStore | undefined;
  beforeAll(async () => {
    store = await createTestStore(backend);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  return {
    backend,
    get env() {
      if (!store) throw new Error('useStore: the database is created in beforeAll; use it in hooks and tests');
      return store.env;
    },
  };
}

export interface ServerOptions {
  backend: Backend;
  /** Settings on top of the store's environment (what src/config.ts reads). */
  env?: Record<string, string>;
  logger?: Logger;
  /** Runs on the fresh database before the server starts (e.g. a CLI import). */
  prepare?: (store: StoreFixture) => Promise<void>;
  /** 'localhost' for passkey tests (a WebAuthn RP id must be a domain); default 127.0.0.1. */
  issuerHost?: IssuerHost;
}

export interface ServerFixture extends TestServer {
  readonly store: StoreFixture;
  /** The environment the server was started with (store env plus options.env). */
  readonly env: Record<string, string>;
  /** Stops the server and starts a new one on the same database (on a new port, so a new issuer). */
  restart(env?: Record<string, string>): Promise<void>;
  /** Another instance on the same database (its own port); stopped in afterAll. */
  startAnother(env?: Record<string, string>, logger?: Logger): Promise<TestServer>;
}

/** Stops at most once, so a test may stop an instance the fixture also stops. */
function once(server: TestServer): TestServer {
  let stopping: Promise<void> | undefined;
  return { ...server, stop: () => (stopping ??= server.stop()) };
}

export function useServer(options: ServerOptions): ServerFixture {
  let store: TestStore | undefined;
  let current: TestServer | undefined;
  const others: TestServer[] = [];
  const storeHandle: StoreFixture = {
    backend: options.backend,
    get env() {
      if (!store) throw new Error('useServer: the database is created in beforeAll; use it in hooks and tests');
      return store.env;
    },
  };
  const env = () => ({ ...storeHandle.env, ...options.env });
  const live = () => {
    if (!current) throw new Error('useServer: the server starts in beforeAll; use it in hooks and tests');
    return current;
  };
  beforeAll(async () => {
    store = await createTestStore(options.backend);
    await options.prepare?.(storeHandle);
    current = once(await startTestServer(env(), options.logger, options.issuerHost));
  });
  afterAll(async () => {
    for (const s of others) await s.stop();
    await current?.stop();
    await store?.dispose();
  });
  return {
    store: storeHandle,
    get env() { return env(); },
    get issuer() { return live().issuer; },
    get url() { return live().url; },
    get server() { return live().server; },
    get services(): Services { return live().services; },
    refreshKeys: () => live().refreshKeys(),
    stop: () => live().stop(),
    async restart(extra = {}) {
      await live().stop();
      current = once(await startTestServer({ ...env(), ...extra }, options.logger, options.issuerHost));
    },
    async startAnother(extra = {}, logger = options.logger) {
      const s = once(await startTestServer({ ...env(), ...extra }, logger, options.issuerHost));
      // Another issuer on the same database re-points Gatehouse's own clients
      // (main.ts ensureSystemClients) at itself; stopping it points them back,
      // or the primary's console and account sign-in fail once its client cache expires.
      const other = { ...s, stop: async () => { await s.stop(); if (current) await ensureSystemClients(current.services); } };
      others.push(other);
      return other;
    },
  };
}

export interface ServicesFixture {
  readonly store: StoreFixture;
  /** The composed services (stores, provider, ...) without a listening server. */
  readonly services: Services;
  /**
   * Closes the database connection and composes the services again: a restart.
   * `between` runs while closed (the embedded store admits one process at a time).
   */
  reopen(between?: () => Promise<void>): Promise<void>;
}

/** Composed services on a fresh database, for tests below the HTTP layer. */
export function useServices(options: { backend: Backend; env?: Record<string, string>; logger?: Logger }): ServicesFixture {
  const store = useStore(options.backend);
  let current: Services | undefined;
  const open = async () => {
    current = await compose(loadConfig({ ...store.env, ...options.env }), options.logger ?? createLogger('silent'));
  };
  beforeAll(open);
  afterAll(async () => {
    await current?.db.close();
  });
  return {
    store,
    get services() {
      if (!current) throw new Error('useServices: the services are composed in beforeAll; use them in hooks and tests');
      return current;
    },
    async reopen(between) {
      await current?.db.close();
      current = undefined;
      await between?.();
      await open();
    },
  };
}
