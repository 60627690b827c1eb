// `gatehouse user create|update` flags for the OpenID Connect address and
// phone claims (Core §5.1, §5.1.1). The address is given whole as JSON
// (--address '{"locality":"Paris"}'), or part by part (--address-locality
// Paris); on update the parts change the stored address and an empty part
// removes it. Validation is the admin API's (src/admin/user-schemas.ts).
import type { Address } from '../users/user-store.js';
import { flagBool, usageError } from './cli-args.js';

const PARTS = {
  'address-formatted': 'formatted', 'address-street': 'street_address', 'address-locality': 'locality',
  'address-region': 'region', 'address-postal-code': 'postal_code', 'address-country': 'country',
} as const;

export const CONTACT_FLAGS = {
  address: { type: 'string' }, 'phone-number': { type: 'string' },
  ...Object.fromEntries(Object.keys(PARTS).map((k) => [k, { type: 'string' }])),
} as const;

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw usageError('--address takes a JSON object, e.g. \'{"locality":"Paris","country":"FR"}\'');
  }
}

/**
 * The API's address/phone fields from the flags. `current` is the stored
 * address (update) or undefined (create); '' clears (update only).
 */
export function contactInput(v: Record<string, unknown>, mode: 'create' | 'update', current?: Address | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parts = Object.entries(PARTS).filter(([flag]) => v[flag] !== undefined);
  if (v.address !== undefined && parts.length) throw usageError('give --address or the --address-* flags, not both');
  if (v.address !== undefined) out.address = v.address === '' && mode === 'update' ? null : parseJson(String(v.address));
  if (parts.length) {
    const address: Record<string, unknown> = { ...(current ?? {}) };
    for (const [flag, key] of parts) {
      if (v[flag] === '') delete address[key];
      else address[key] = v[flag];
    }
    out.address = Object.keys(address).length || mode === 'create' ? address : null;
  }
  if (v['phone-number'] !== undefined) out.phone_number = v['phone-number'] === '' && mode === 'update' ? null : v['phone-number'];
  const verified = v['phone-number-verified'];
  if (mode === 'create') out.phone_number_verified = Boolean(verified);
  else if (verified !== undefined) out.phone_number_verified = flagBool(verified, 'phone-number-verified');
  return out;
}
