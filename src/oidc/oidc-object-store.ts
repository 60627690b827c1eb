// The one module that reads and writes oidc_objects: one row per (model, id)
// that oidc-provider keeps (sessions, grants, codes, tokens, interactions).
// adapter.ts and refresh-adapter.ts (the provider's side) and grant-store.ts
// (the admin side) use these statements and hold no SQL of their own.
//
// One style: raw SQL. The provider's statements (find, upsert, consume, and
// the refresh rotation) run on every token request and are raw SQL because
// leaving Prisma for them roughly doubled refresh rotation (docs/benchmarks.md,
// "refresh rotation": ~200/s through Prisma, ~400-500/s after).
// The few admin statements are written the same way so the table has one
// style, and each is a single statement, so it is atomic on both backends.
//
// Ids and credential-valued payload fields are stored hashed and sealed
// (at-rest.ts): callers pass values, the store hashes them. Uids and grant ids
// are not credentials and are stored as they are.
import type { AdapterPayload } from 'oidc-provider';
import type { RawSql } from '../db/raw-sql.js';
import { storable, withoutNul } from '../db/storable.js';
import type { TokensAtRest } from './at-rest.js';

export interface StoredObject {
  /** As oidc-provider wrote it (sealed fields opened). */
  payload: AdapterPayload;
  expiresAt: Date | null;
  consumedAt: Date | null;
}

/** A row as the admin side reads it: payload as stored (sealed fields stay sealed). */
export interface StoredRow {
  payload: Record<string, unknown>;
  expiresAt: Date | null;
}

export type OidcObjectStore = ReturnType<typeof createOidcObjectStore>;

type Row = { payload: AdapterPayload; expires_at: Date | null; consumed_at: Date | null };

// jsonb cannot hold NUL; values containing it came from hostile input.
const json = (payload: AdapterPayload) => JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));

const UPSERT = `INSERT INTO oidc_objects (model, id, payload, grant_id, user_code, uid, expires_at)
  VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
  ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
    user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`;

type Column = 'id' | 'uid' | 'user_code';
const SELECT_BY = Object.fromEntries((['id', 'uid', 'user_code'] as const).map((column) =>
  [column, `SELECT payload, expires_at, consumed_at FROM oidc_objects WHERE model = $1 AND ${column} = $2 LIMIT 1`])) as Record<Column, string>;

// A grant's family: the grant itself and every object issued under it. The
// one place this is spelt out; `ids` is a subquery yielding grant ids (as an
// array, evaluated once, so both sides use an index: grant_id, primary key).
// Revoking a grant revokes its tokens (RFC 7009 §2.1).
const family = (ids: string) => `(grant_id = ANY(ARRAY(${ids})) OR (model = 'Grant' AND id = ANY(ARRAY(${ids}))))`;

const REVOKE_FAMILIES = `DELETE FROM oidc_objects WHERE ${family('SELECT jsonb_array_elements_text($1::jsonb)')}`;

// Consume the refresh token unless it was consumed before the grace window
// ($3), and report whether that happened plus the family (grant) id
// (refresh-adapter.ts, refresh-policy.ts). One statement: race-safe. With no
// grace window ($3 NULL) only an unconsumed token is consumed: comparing with
// this request's clock instead would let a request whose clock reading came
// before the winner's, but whose UPDATE came after it, win too.
const CONSUME_REFRESH = `
WITH target AS (SELECT grant_id FROM oidc_objects WHERE model = 'RefreshToken' AND id = $1),
     upd AS (UPDATE oidc_objects SET consumed_at = COALESCE(consumed_at, $2)
             WHERE model = 'RefreshToken' AND id = $1 AND (consumed_at IS NULL OR consumed_at > $3::timestamptz)
             RETURNING 1)
SELECT (SELECT count(*) FROM upd)::int AS updated, t.grant_id FROM target t`;

// Admin side. Json equality as Prisma's `path: [key], equals` had it.
const OF_ACCOUNT = `payload -> 'accountId' = to_jsonb($1::text)`;
const LIVE = '(expires_at IS NULL OR expires_at > $2)';

const SESSIONS = `SELECT payload, expires_at FROM oidc_objects WHERE model = 'Session' AND ${OF_ACCOUNT} AND ${LIVE}`;
const SESSION_BY_UID = `${SESSIONS} AND uid = $3`;

// Deletes the session and the family of every grant it authorised; returns
// the number of sessions deleted (0 or 1).
const REVOKE_SESSION = `
WITH s AS (DELETE FROM oidc_objects WHERE model = 'Session' AND id IN (
             SELECT id FROM oidc_objects WHERE model = 'Session' AND uid = $2 AND ${OF_ACCOUNT} LIMIT 1)
           RETURNING payload),
     g AS (SELECT a.value ->> 'grantId' AS id FROM s, jsonb_each(COALESCE(s.payload -> 'authorizations', '{}'::jsonb)) a
           WHERE jsonb_typeof(a.value -> 'grantId') = 'string'),
     f AS (DELETE FROM oidc_objects WHERE ${family('SELECT id FROM g')} RETURNING 1)
SELECT count(*)::int AS n FROM s`;

// Every object carrying the account id; returns the live sessions among them.
const REVOKE_ACCOUNT = `
WITH d AS (DELETE FROM oidc_objects WHERE ${OF_ACCOUNT} RETURNING model, expires_at)
SELECT count(*)::int AS n FROM d WHERE model = 'Session' AND ${LIVE}`;

// Every object carrying the client id, and the families of the client's grants.
const REVOKE_CLIENT = `
WITH g AS (SELECT id FROM oidc_objects WHERE model = 'Grant' AND payload -> 'clientId' = to_jsonb($1::text)),
     d AS (DELETE FROM oidc_objects WHERE ${family('SELECT id FROM g')} OR payload -> 'clientId' = to_jsonb($1::text) RETURNING 1)
SELECT count(*)::int AS n FROM d`;

// A user's side of one client (the account page's "Remove access"): the
// families of the account's grants for the client, and any other object of
// both (refresh and access tokens carry accountId and clientId). Sessions do
// not carry a clientId and stay; their pointer to the deleted grant leads the
// next authorization to consent again (oidc/existing-grant.ts).
const OF_ACCOUNT_CLIENT = `${OF_ACCOUNT} AND payload -> 'clientId' = to_jsonb($2::text)`;
const REVOKE_ACCOUNT_CLIENT = `
WITH g AS (SELECT id FROM oidc_objects WHERE model = 'Grant' AND ${OF_ACCOUNT_CLIENT}),
     d AS (DELETE FROM oidc_objects WHERE ${family('SELECT id FROM g')} OR (${OF_ACCOUNT_CLIENT}) RETURNING 1)
SELECT count(*)::int AS n FROM d`;
const ACCOUNT_GRANTS = `SELECT payload, expires_at FROM oidc_objects WHERE model = 'Grant' AND ${OF_ACCOUNT} AND ${LIVE}`;
// Every refresh token of the account (a password change ends them, RFC 6819 §5.2.2.3).
const REVOKE_ACCOUNT_REFRESH = `WITH d AS (DELETE FROM oidc_objects WHERE model = 'RefreshToken' AND ${OF_ACCOUNT} RETURNING 1) SELECT count(*)::int AS n FROM d`;

const SWEEP = `WITH d AS (DELETE FROM oidc_objects WHERE expires_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`;

export function createOidcObjectStore(sql: RawSql, atRest: TokensAtRest) {
  const toObject = (row: Row | undefined): StoredObject | undefined =>
    row && { payload: atRest.open(row.payload), expiresAt: row.expires_at, consumedAt: row.consumed_at };
  const one = async (model: string, column: Column, value: string) =>
    storable(value) ? toObject((await sql.query<Row>(SELECT_BY[column], [model, value]))[0]) : undefined;
  const stored = (model: string, id: string) => atRest.storedId(model, id);
  const count = async (text: string, params: unknown[]) => (await sql.query<{ n: number }>(text, params))[0]?.n ?? 0;

  return {
    // --- oidc-provider's Adapter (adapter.ts): the token path ---
    async upsert(model: string, id: string, payload: AdapterPayload, expiresAt: Date | null): Promise<void> {
      const userCode = typeof payload.userCode === 'string' ? atRest.storedUserCode(payload.userCode) : null;
      await sql.query(UPSERT, [model, stored(model, id), json(atRest.seal(payload)), payload.grantId ?? null, userCode, payload.uid ?? null, expiresAt]);
    },
    find: (model: string, id: string) => one(model, 'id', stored(model, id)),
    findByUid: (model: string, uid: string) => one(model, 'uid', uid),
    findByUserCode: (model: string, userCode: string) => one(model, 'user_code', atRest.storedUserCode(userCode)),
    async consume(model: string, id: string, at: Date): Promise<void> {
      if (!storable(id)) return;
      await sql.query('UPDATE oidc_objects SET consumed_at = $3 WHERE model = $1 AND id = $2', [model, stored(model, id), at]);
    },
    async destroy(model: string, id: string): Promise<void> {
      if (!storable(id)) return;
      await sql.query('DELETE FROM oidc_objects WHERE model = $1 AND id = $2', [model, stored(model, id)]);
    },
    /** Every object issued under the grant, whatever its model (the grant row itself stays: the provider destroys it). */
    async deleteByGrantId(grantId: string): Promise<void> {
      if (!storable(grantId)) return;
      await sql.query('DELETE FROM oidc_objects WHERE grant_id = $1', [grantId]);
    },

    // --- refresh rotation (refresh-adapter.ts) ---
    /**
     * Consumes the refresh token unless it was consumed before `graceStart`
     * (null: no grace, only an unconsumed token is consumed).
     * `undefined` when there is no such token; otherwise whether this call
     * consumed it (or it is still within grace) and its grant id.
     */
    async consumeRefresh(id: string, at: Date, graceStart: Date | null): Promise<{ consumed: boolean; grantId: string | null } | undefined> {
      const [r] = await sql.query<{ updated: number; grant_id: string | null }>(CONSUME_REFRESH, [stored('RefreshToken', id), at, graceStart]);
      return r && { consumed: r.updated === 1, grantId: r.grant_id };
    },

    /** Deletes each grant and everything issued under it (its family). */
    async revokeFamilies(grantIds: string[]): Promise<void> {
      const ids = grantIds.filter(storable);
      if (ids.length) await sql.query(REVOKE_FAMILIES, [JSON.stringify(ids)]);
    },

    // --- admin side (grant-store.ts) ---
    /** The account's sessions that have not expired (only the one with this uid, when given). */
    async liveSessions(accountId: string, now: Date, uid?: string): Promise<StoredRow[]> {
      if (!storable(accountId) || (uid !== undefined && !storable(uid))) return [];
      const rows = await sql.query<{ payload: Record<string, unknown>; expires_at: Date | null }>(
        uid === undefined ? SESSIONS : SESSION_BY_UID, uid === undefined ? [accountId, now] : [accountId, now, uid]);
      return rows.map((r) => ({ payload: r.payload, expiresAt: r.expires_at }));
    },
    /** Ends the account's session with this uid and revokes its grants; false when there is none. */
    async revokeSession(accountId: string, uid: string): Promise<boolean> {
      if (!storable(accountId) || !storable(uid)) return false;
      return (await count(REVOKE_SESSION, [accountId, uid])) > 0;
    },
    /** Deletes every object of the account; returns how many of them were live sessions. */
    revokeAccount: async (accountId: string, now: Date): Promise<number> =>
      (storable(accountId) ? count(REVOKE_ACCOUNT, [accountId, now]) : 0),
    /** Deletes every object of the client and the families of its grants; returns how many rows went. */
    revokeClient: async (clientId: string): Promise<number> => (storable(clientId) ? count(REVOKE_CLIENT, [clientId]) : 0),

    /** The account's live grants (payload as stored: clientId, openid.scope...). */
    async accountGrants(accountId: string, now: Date): Promise<StoredRow[]> {
      if (!storable(accountId)) return [];
      const rows = await sql.query<{ payload: Record<string, unknown>; expires_at: Date | null }>(ACCOUNT_GRANTS, [accountId, now]);
      return rows.map((r) => ({ payload: r.payload, expiresAt: r.expires_at }));
    },
    /** Deletes the account's grants (and their tokens) for one client; returns how many rows went. */
    revokeAccountClient: async (accountId: string, clientId: string): Promise<number> =>
      (storable(accountId) && storable(clientId) ? count(REVOKE_ACCOUNT_CLIENT, [accountId, clientId]) : 0),
    /** Deletes every refresh token of the account; returns how many. */
    revokeAccountRefresh: async (accountId: string): Promise<number> => (storable(accountId) ? count(REVOKE_ACCOUNT_REFRESH, [accountId]) : 0),

    /** Deletes the objects past their expiry; returns how many. */
    sweepExpired: (now: Date): Promise<number> => count(SWEEP, [now]),
  };
}
