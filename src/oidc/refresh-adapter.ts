// Storage for refresh tokens with race-safe rotation and reuse detection (see
// refresh-policy.ts). Built on the generic object adapter; only find() and
// consume() differ. Ids are stored hashed (at-rest.ts).
import { errors, type Adapter } from 'oidc-provider';
import type { RawSql } from '../db/raw-sql.js';
import { createObjectAdapter, type Row } from './adapter.js';
import type { TokensAtRest } from './at-rest.js';
import { withinGrace, type RefreshPolicy } from './refresh-policy.js';

// One statement: consume the token unless it was consumed before the grace
// window, and report whether that happened plus the family (grant) id.
const CONSUME = `
WITH target AS (SELECT grant_id FROM oidc_objects WHERE model = 'RefreshToken' AND id = $1),
     upd AS (UPDATE oidc_objects SET consumed_at = COALESCE(consumed_at, $2)
             WHERE model = 'RefreshToken' AND id = $1 AND (consumed_at IS NULL OR consumed_at > $3)
             RETURNING 1)
SELECT (SELECT count(*) FROM upd)::int AS updated, t.grant_id FROM target t`;

const REVOKE_FAMILY = `DELETE FROM oidc_objects WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)`;

export function createRefreshTokenAdapter(sql: RawSql, policy: RefreshPolicy, atRest: TokensAtRest): Adapter {
  const base = createObjectAdapter(sql, 'RefreshToken', atRest);
  const stored = (id: string) => atRest.storedId('RefreshToken', id);
  return {
    ...base,
    async find(id) {
      const [row] = await sql.query<Row>(`SELECT payload, consumed_at FROM oidc_objects WHERE model = 'RefreshToken' AND id = $1`, [stored(id)]);
      if (!row) return undefined;
      const payload = atRest.open(row.payload);
      // Expiry is checked by the grant itself (it is found with ignoreExpiration).
      if (!row.consumed_at || withinGrace(policy, row.consumed_at, Date.now())) return payload;
      return { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) };
    },
    async consume(id) {
      const now = Date.now();
      const graceStart = new Date(now - policy.graceSeconds * 1000);
      const [r] = await sql.query<{ updated: number; grant_id: string | null }>(CONSUME, [stored(id), new Date(now), graceStart]);
      if (r?.updated === 1) return;
      // No row: the family was revoked (the token deleted) while this request
      // was in flight. Never treat that as a successful consume.
      if (!r) throw new errors.InvalidGrant('refresh token already used');
      // Lost a race for a token another request rotated outside the grace
      // window: the same token was used twice, so treat it as stolen. (The
      // security event is recorded from the provider's grant.error event.)
      if (r.grant_id) await sql.query(REVOKE_FAMILY, [r.grant_id]);
      throw new errors.InvalidGrant('refresh token already used');
    },
  };
}
