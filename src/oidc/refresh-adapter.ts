// Storage for refresh tokens with race-safe rotation and reuse detection (see
// refresh-policy.ts). Built on the generic object adapter; only find() and
// consume() differ. The statements are the oidc-object store's.
import { errors, type Adapter } from 'oidc-provider';
import { objectAdapter } from './adapter.js';
import type { OidcObjectStore } from './oidc-object-store.js';
import { withinGrace, type RefreshPolicy } from './refresh-policy.js';
import { REFRESH_TOKEN_REUSED } from './provider-seam.js';

export function createRefreshTokenAdapter(objects: OidcObjectStore, policy: RefreshPolicy): Adapter {
  const base = objectAdapter(objects, 'RefreshToken');
  return {
    ...base,
    async find(id) {
      const object = await objects.find('RefreshToken', id);
      if (!object) return undefined;
      // Expiry is checked by the grant itself (it is found with ignoreExpiration).
      const { payload, consumedAt } = object;
      if (!consumedAt || withinGrace(policy, consumedAt, Date.now())) return payload;
      return { ...payload, consumed: Math.floor(consumedAt.getTime() / 1000) };
    },
    async consume(id) {
      const now = Date.now();
      // No grace window: never "within grace", as in withinGrace().
      const graceStart = policy.graceSeconds > 0 ? new Date(now - policy.graceSeconds * 1000) : null;
      const r = await objects.consumeRefresh(id, new Date(now), graceStart);
      if (r?.consumed) return;
      // No row: the family was revoked (the token deleted) while this request
      // was in flight. Never treat that as a successful consume.
      if (!r) throw new errors.InvalidGrant(REFRESH_TOKEN_REUSED);
      // Lost a race for a token another request rotated outside the grace
      // window: the same token was used twice, so treat it as stolen. (The
      // security event is recorded from the provider's grant.error event.)
      if (r.grantId) await objects.revokeFamilies([r.grantId]);
      throw new errors.InvalidGrant(REFRESH_TOKEN_REUSED);
    },
  };
}
