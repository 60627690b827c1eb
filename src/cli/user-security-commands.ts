// `gatehouse user import` and `gatehouse user unlock`: the legacy-hash bridge
// and lockout reset (security hardening), beside the admin user commands.
import type { Composition as Services } from '../main.js';
import { cliActor } from '../security/admin-audit.js';
import { importUsers } from './user-import.js';
import { emit, parse, usageError, type Out } from './cli-args.js';

export async function userSecurityCommands(s: Services, sub: 'import' | 'unlock', args: string[], out: Out): Promise<number> {
  if (sub === 'import') {
    const v = parse(args, { file: { type: 'string' }, json: { type: 'boolean' } });
    if (!v.file) throw usageError('user import needs --file (JSON lines)');
    const r = await importUsers(s, v.file as string, cliActor());
    emit(out, v.json, r, () => [
      `imported ${r.imported} users; ${r.duplicates.length} already existed; ${r.invalid.length} invalid lines`,
      ...r.invalid.map((bad) => `  line ${bad.line}: ${bad.error}`),
    ]);
    return r.invalid.length ? 1 : 0;
  }
  const v = parse(args, { email: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.email) throw usageError('user unlock needs --email');
  await s.admin.operations.unlockUser(v.email as string, cliActor());
  emit(out, v.json, { unlocked: v.email }, () => [`unlocked ${v.email}`]);
  return 0;
}
