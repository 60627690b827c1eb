// PostgreSQL text and jsonb cannot hold NUL (0x00). Requests are checked at
// the input boundary (src/http/input-boundary.ts); this is the one rule for
// what still reaches a store from places the boundary does not parse (form
// bodies, the provider's own parameters), so nothing fails with a 500.

/** A value that can never match a stored row: lookups short-circuit. */
export const storable = (value: string): boolean => !value.includes('\u0000');

/** The text without NUL, for values that are recorded rather than matched (a typed email in the audit log). */
export const withoutNul = (value: string): string => value.replace(/\u0000/g, '');

/** `withoutNul` through arrays and objects (keys included); dates and other values as they are. */
export function storableDeep(value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(storableDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), storableDeep(v)]));
  return value;
}

/**
 * Whether an id can be a uuid column's value. Ids come from cookies, tokens,
 * URLs and forms: anything else is refused before a query (PostgreSQL would
 * fail the cast with an error, not "no row").
 */
export const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
