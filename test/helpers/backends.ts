// Store contract suites run against every backend (PostgreSQL and embedded
// PGlite), Hydra-style: forEachBackend opens a fresh, migrated Database per
// backend (its own PostgreSQL database, its own PGlite directory) and hands
// the suite a context whose `db` is the open one. No app, no provider: the
// store under test is built from the Database directly.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { BACKENDS, createTestStore, type Backend, type TestStore } from './databases.js';

const MIGRATIONS = resolve('prisma/migrations');

export interface BackendContext {
  readonly backend: Backend;
  /** The open, migrated database (a new object after reopen()). */
  readonly db: Database;
  /** A master secret for the stores that derive keys from one. */
  readonly secret: string;
  /** Closes and opens the same database again (data kept): for "survives a restart" checks. */
  reopen(): Promise<Database>;
}

async function open(store: TestStore): Promise<Database> {
  const db = await createDatabase({ url: store.env.DATABASE_URL, dataDir: store.env.DATA_DIR! });
  await db.withSession((sql) => migrate(sql, MIGRATIONS));
  return db;
}

export function forEachBackend(title: string, suite: (ctx: BackendContext) => void): void {
  describe.each(BACKENDS)(`${title} on %s`, (backend) => {
    let store: TestStore | undefined;
    let db: Database | undefined;
    const ctx: BackendContext = {
      backend,
      get db() {
        if (!db) throw new Error('the database is opened in beforeAll');
        return db;
      },
      get secret() {
        return store!.env.GATEHOUSE_SECRET!;
      },
      async reopen() {
        await db?.close();
        db = await open(store!);
        return db;
      },
    };
    beforeAll(async () => {
      store = await createTestStore(backend);
      db = await open(store);
    });
    afterAll(async () => {
      await db?.close();
      await store?.dispose();
    });
    suite(ctx);
  });
}
