// oidc-provider Adapter: one row per (model, id) in oidc_objects. Every token
// request goes through here, so each method is one SQL statement (raw SQL:
// measured several times faster than the equivalent Prisma calls, see
// docs/benchmarks.md). Expiry is enforced on read (a row past expires_at is
// absent) and expired rows are swept by sweepExpired(). Clients come from the
// clients table. Ids and credential-valued payload fields are stored hashed
// and sealed (at-rest.ts): lookups by value hash the value first.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PrismaClient } from '../db/database.js';
import type { RawSql } from '../db/raw-sql.js';
import type { ClientLookup } from '../clients/client-lookup.js';
import { storable } from '../db/storable.js';
import type { TokensAtRest } from './at-rest.js';

export type Row = { payload: AdapterPayload; expires_at: Date | null; consumed_at: Date | null };

function toPayload(row: Row | undefined, atRest: TokensAtRest): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return undefined;
  const payload = atRest.open(row.payload);
  return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
}

// jsonb cannot hold NUL; values containing it came from hostile input.
const json = (payload: AdapterPayload) => JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '') : v));

const COLUMNS = 'payload, expires_at, consumed_at';
const UPSERT = `INSERT INTO oidc_objects (model, id, payload, grant_id, user_code, uid, expires_at)
  VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
  ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
    user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`;

export function createObjectAdapter(sql: RawSql, model: string, atRest: TokensAtRest): Adapter {
  const one = async (where: string, value: string) =>
    storable(value) ? toPayload((await sql.query<Row>(`SELECT ${COLUMNS} FROM oidc_objects WHERE model = $1 AND ${where} = $2 LIMIT 1`, [model, value]))[0], atRest) : undefined;
  const stored = (id: string) => atRest.storedId(model, id);
  return {
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const userCode = typeof payload.userCode === 'string' ? atRest.storedUserCode(payload.userCode) : null;
      await sql.query(UPSERT, [model, stored(id), json(atRest.seal(payload)), payload.grantId ?? null, userCode, payload.uid ?? null, expiresAt]);
    },
    find: (id) => one('id', stored(id)),
    findByUid: (uid) => one('uid', uid),
    findByUserCode: (userCode) => one('user_code', atRest.storedUserCode(userCode)),
    async consume(id) {
      if (!storable(id)) return;
      await sql.query('UPDATE oidc_objects SET consumed_at = $3 WHERE model = $1 AND id = $2', [model, stored(id), new Date()]);
    },
    async destroy(id) {
      if (!storable(id)) return;
      await sql.query('DELETE FROM oidc_objects WHERE model = $1 AND id = $2', [model, stored(id)]);
    },
    async revokeByGrantId(grantId) {
      if (!storable(grantId)) return;
      // Every token issued under the grant, whatever its model (RFC 7009 §2.1).
      await sql.query('DELETE FROM oidc_objects WHERE grant_id = $1', [grantId]);
    },
  };
}

// Clients live in the clients table. oidc-provider writes them only for
// dynamic registration (RFC 7591/7592, see registration.ts): upsert stores the
// registered metadata (secret sealed), destroy deletes the client and revokes
// its grants and tokens.
export interface ClientWrites {
  saveRegistered(clientId: string, metadata: Record<string, unknown>): Promise<void>;
  remove(clientId: string): Promise<unknown>;
}

function createClientAdapter(clients: ClientLookup, writes: ClientWrites): Adapter {
  return {
    find: (id) => clients.findForProvider(id),
    upsert: (id, payload) => writes.saveRegistered(id, payload as Record<string, unknown>),
    destroy: async (id) => {
      await writes.remove(id);
    },
    consume: async () => {
      throw new Error('clients are never consumed');
    },
    findByUid: async () => undefined, findByUserCode: async () => undefined, revokeByGrantId: async () => {},
  };
}

export function createAdapterFactory(sql: RawSql, atRest: TokensAtRest, clients: ClientLookup, writes: ClientWrites, special: Record<string, Adapter> = {}) {
  return (model: string): Adapter =>
    special[model] ?? (model === 'Client' ? createClientAdapter(clients, writes) : createObjectAdapter(sql, model, atRest));
}

export async function sweepExpired(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.oidcObject.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
