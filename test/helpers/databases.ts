// Real backends for tests: a fresh PostgreSQL database per call on the server
// at TEST_PG_URL (default 127.0.0.1:5432), or a fresh PGlite directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type Backend = 'postgres' | 'embedded';
export const BACKENDS: Backend[] = ['postgres', 'embedded'];

export interface TestStore {
  backend: Backend;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createTestStore(backend: Backend): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const base = { DATA_DIR: dataDir, GATEHOUSE_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', NODE_ENV: 'test' };
  if (backend === 'embedded') {
    return { backend, env: base, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    backend,
    env: { ...base, DATABASE_URL: url.toString() },
    async dispose() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
