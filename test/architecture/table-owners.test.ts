// One module owns each table (issue 13, move 2): only the owning store names
// the table in SQL or calls Prisma on its model. Comments may name it.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');

/** Source without comments: block comments, and `//` comments not part of a URL. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

/** Every file under dir (relative to dir) whose code matches pattern, generated code excepted. */
async function mentions(dir: string, pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(ROOT, dir), { recursive: true })) {
    const path = `${dir}/${entry}`;
    if (!path.endsWith('.ts') || path.startsWith('src/generated/')) continue;
    if (pattern.test(code(await readFile(join(ROOT, path), 'utf8')))) found.push(path);
  }
  return found.sort();
}

const PRISMA_CALL = '(findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\\(';

/** SQL naming the table, or a Prisma call on its model. */
const touches = (table: string, model: string) =>
  new RegExp(`\\b(FROM|INTO|UPDATE|JOIN|TABLE)\\s+"?${table}\\b|\\.${model}\\.${PRISMA_CALL}`);

const OWNERS: Array<{ table: string; pattern: RegExp; owner: string | string[] }> = [
  // Any code mention at all: the name is distinctive, and the acceptance of issue 13 asks for exactly this.
  { table: 'oidc_objects', pattern: /\boidc_objects\b|\boidcObject\b/, owner: 'src/oidc/oidc-object-store.ts' },
  { table: 'users', pattern: touches('users', 'user'), owner: 'src/users/user-store.ts' },
  { table: 'clients', pattern: touches('clients', 'client'), owner: 'src/clients/client-store.ts' },
  { table: 'consents', pattern: touches('consents', 'consent'), owner: 'src/consent/consent-store.ts' },
  { table: 'resource_servers', pattern: touches('resource_servers', 'resourceServer'), owner: 'src/resources/resource-store.ts' },
  { table: 'exchange_policies', pattern: touches('exchange_policies', 'exchangePolicy'), owner: 'src/exchange/exchange-policy-store.ts' },
  { table: 'signing_keys', pattern: touches('signing_keys', 'signingKey'), owner: 'src/keys/key-store.ts' },
  { table: 'throttles', pattern: touches('throttles', 'throttle'), owner: 'src/security/throttle-store.ts' },
  { table: 'mfa_factors', pattern: touches('mfa_factors', 'mfaFactor'), owner: 'src/mfa/factor-store.ts' },
  { table: 'recovery_codes', pattern: touches('recovery_codes', 'recoveryCode'), owner: 'src/mfa/recovery-code-store.ts' },
  { table: 'user_tokens', pattern: touches('user_tokens', 'userToken'), owner: 'src/users/user-token-store.ts' },
  // The one deliberate split (docs/architecture.md, "One owner per table"):
  // the batched write queue on the hot paths, and the admin-side reader.
  { table: 'security_events', pattern: touches('security_events', 'securityEvent'), owner: ['src/security/audit-log.ts', 'src/security/security-events.ts'] },
  { table: 'audit_chain_state', pattern: touches('audit_chain_state', 'auditChainState'), owner: 'src/security/audit-log.ts' },
];

describe('table owners', () => {
  it.each(OWNERS)('only $owner touches $table', async ({ pattern, owner }) => {
    expect(await mentions('src', pattern)).toEqual([owner].flat());
  });

  it('sees a mention outside the owner, and not one in a comment', () => {
    const [oidc] = OWNERS;
    expect(oidc!.pattern.test(code("await sql.query('DELETE FROM oidc_objects WHERE id = $1');"))).toBe(true);
    expect(oidc!.pattern.test(code('await prisma.oidcObject.deleteMany({});'))).toBe(true);
    expect(oidc!.pattern.test(code('// a dump of oidc_objects\n/* oidc_objects */ const url = "https://x"; // oidc_objects'))).toBe(false);
    expect(oidc!.pattern.test(code('services.oidcObjects.sweepExpired(now);'))).toBe(false);
    const users = OWNERS.find((o) => o.table === 'users')!.pattern;
    expect(users.test("sql.query('SELECT id FROM users WHERE id = $1')")).toBe(true);
    expect(users.test('await tx.user.updateMany({ where })')).toBe(true);
    expect(users.test('ctx.oidc.user.name; const users = 1;')).toBe(false);
  });
});
