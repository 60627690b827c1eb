// The only place a PrismaClient is constructed. PostgreSQL when DATABASE_URL is
// set; otherwise PGlite (PostgreSQL compiled to WebAssembly) under DATA_DIR, so
// both backends share one schema and one migration history.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './dir-lock.js';
import { ensureDataDir } from './data-dir.js';
import { configError } from '../errors/domain-error.js';
import type { RawSql } from './raw-sql.js';
import { listenPostgres, type ListenOptions } from './listener.js';

export type { PrismaClient };
// Json column helpers (Prisma.DbNull) for the stores.
export { Prisma } from '../generated/prisma/client.js';

export interface Database {
  kind: 'postgres' | 'embedded';
  prisma: PrismaClient;
  sql: RawSql;
  /** Runs fn on one pinned connection (session-level locks, multi-statement work). */
  withSession<T>(fn: (sql: RawSql) => Promise<T>): Promise<T>;
  /** Runs fn in one transaction (committed when fn resolves, rolled back if it throws). */
  transaction<T>(fn: (sql: RawSql) => Promise<T>): Promise<T>;
  /**
   * Calls onNotify on NOTIFY `channel` from any connection (every instance on
   * this database); returns the function that stops listening. close() stops
   * every listener too.
   */
  listen(channel: string, opts: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  dataDir: string;
  poolSize?: number;
}

export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? createPostgres(opts.url, opts.poolSize ?? 10) : createEmbedded(opts.dataDir);
}

/** One connection up front, so an unreachable server is one line naming DATABASE_URL (never its password). */
async function probe(pool: pg.Pool, url: string): Promise<void> {
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    const { hostname, port } = new URL(url);
    const why = e.code && /^E[A-Z]+$/.test(e.code) ? e.code : (e.message.split('\n')[0] ?? String(err));
    throw configError(`cannot connect to the database at DATABASE_URL (${hostname}:${port || 5432}): ${why}`);
  }
}

async function createPostgres(url: string, max: number): Promise<Database> {
  // Bounded waits: a dead or unreachable server must produce errors, not hangs.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000, query_timeout: 15_000 });
  // A dead or restarting server must not crash the process: idle clients'
  // errors reach the pool, checked-out clients' errors reach their client.
  // Queries in flight still fail (and are answered 503, see oidc/error-codes.ts).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  await probe(pool, url);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners = new Set<() => Promise<void>>();
  const over = (q: pg.Pool | pg.PoolClient): RawSql => ({
    async query(text, params) {
      return (await q.query(text, params as unknown[])).rows;
    },
    async exec(text) {
      await q.query(text);
    },
  });
  return {
    kind: 'postgres',
    prisma,
    sql: over(pool),
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn(over(client));
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(over(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, opts) {
      const stop = await listenPostgres(url, channel, opts);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function createEmbedded(dataDir: string): Promise<Database> {
  ensureDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const lite = await PGlite.create(`${dataDir}/pg`);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
    const sql: RawSql = {
      async query(text, params) {
        return (await lite.query(text, params as unknown[])).rows as never[];
      },
      async exec(text) {
        await lite.exec(text);
      },
    };
    return {
      kind: 'embedded',
      prisma,
      sql,
      withSession: (fn) => fn(sql),
      // One process owns the directory (dir-lock.ts): notifications come from
      // this process only, PGlite delivers them all the same.
      listen: async (channel, opts) => {
        const stop = await lite.listen(channel, () => opts.onNotify());
        return async () => {
          if (!lite.closed) await stop();
        };
      },
      // PGlite has one connection: its transaction() keeps other queries out.
      transaction: (fn) => lite.transaction((tx) => fn({
        async query(text, params) {
          return (await tx.query(text, params as unknown[])).rows as never[];
        },
        async exec(text) {
          await tx.exec(text);
        },
      })),
      async close() {
        await prisma.$disconnect();
        await lite.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
