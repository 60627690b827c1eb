// `gatehouse user import --file users.jsonl`: one JSON object per line,
// {"email", "password_hash", "name"?, "email_verified"?, "roles"?}. Hashes
// stay as they are (bcrypt, PBKDF2, argon2) until each user's next login.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Composition as Services } from '../main.js';
import type { AdminActor } from '../security/admin-audit.js';
import { DuplicateEmailError } from '../users/user-store.js';
import { isSupportedHash } from '../users/password.js';

const Line = z.object({
  email: z.email(),
  password_hash: z.string().refine(isSupportedHash, 'unsupported hash format (bcrypt, PBKDF2 or argon2 expected)'),
  name: z.string().optional(),
  email_verified: z.boolean().optional(),
  roles: z.array(z.string()).optional(),
});

export interface ImportReport { imported: number; duplicates: string[]; invalid: { line: number; error: string }[] }

export async function importUsers(s: Services, file: string, actor: AdminActor): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, duplicates: [], invalid: [] };
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, text] of lines.entries()) {
    if (!text.trim()) continue;
    let parsed;
    try {
      parsed = Line.safeParse(JSON.parse(text));
    } catch {
      report.invalid.push({ line: i + 1, error: 'not JSON' });
      continue;
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      report.invalid.push({ line: i + 1, error: `${issue.path.join('.')}: ${issue.message}` });
      continue;
    }
    const u = parsed.data;
    try {
      await s.stores.users.importHashed({ email: u.email, passwordHash: u.password_hash, name: u.name, emailVerified: u.email_verified, roles: u.roles });
      report.imported++;
    } catch (err) {
      if (!(err instanceof DuplicateEmailError)) throw err;
      report.duplicates.push(u.email);
    }
  }
  await s.admin.audit(actor, 'user.import', null, { imported: report.imported, duplicates: report.duplicates.length, invalid: report.invalid.length });
  return report;
}
