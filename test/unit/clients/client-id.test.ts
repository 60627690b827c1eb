import { describe, expect, it } from 'vitest';
import { newClientId } from '../../../src/clients/client-metadata.js';

describe('client ids', () => {
  it('are 16 base64url characters and never start with "-" (a CLI flag)', () => {
    const ids = Array.from({ length: 5000 }, newClientId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{15}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
