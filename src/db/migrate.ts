// Applies prisma/migrations/*/migration.sql in order at start-up, recording
// them in Prisma's own `_prisma_migrations` table so `prisma migrate deploy`
// and `prisma migrate status` agree with us. Runs under an advisory lock so
// several instances starting together apply each migration once.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RawSql } from './raw-sql.js';

const LOCK_ID = 72_707_001; // arbitrary, stable: "gatehouse migrations"

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export function listMigrations(dir: string): { name: string; sql: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, 'migration.sql'), 'utf8') }));
}

export async function migrate(sql: RawSql, dir: string): Promise<string[]> {
  const applied: string[] = [];
  await sql.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await sql.exec(CREATE_TABLE);
    const done = await sql.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const seen = new Set(done.map((r) => r.migration_name));
    for (const m of listMigrations(dir)) {
      if (seen.has(m.name)) continue;
      const checksum = createHash('sha256').update(m.sql).digest('hex');
      // Each migration and its bookkeeping row commit together or not at all.
      await sql.exec(`BEGIN;\n${m.sql}\n;INSERT INTO "_prisma_migrations"
        (id, checksum, finished_at, migration_name, applied_steps_count)
        VALUES ('${randomUUID()}', '${checksum}', now(), '${m.name.replace(/'/g, "''")}', 1);\nCOMMIT;`);
      applied.push(m.name);
    }
  } catch (err) {
    await sql.exec('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await sql.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
  }
  return applied;
}
