// PostgreSQL text cannot hold NUL (0x00): such a value can never match a
// stored row, so lookups short-circuit instead of failing with a 500.
export const storable = (value: string): boolean => !value.includes('\u0000');
