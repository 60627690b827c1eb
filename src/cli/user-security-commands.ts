// `gatehouse user import`, `user unlock` and the multi-factor commands
// (`user factors`, `user factor-remove`, `user mfa-reset`): the legacy-hash
// bridge, lockout reset and second factors, beside the admin user commands.
import type { Composition as Services } from '../main.js';
import { cliActor } from '../security/admin-audit.js';
import type { FactorView } from '../admin/mfa-admin.js';
import { importUsers } from './user-import.js';
import { emit, parse, parseWithArgs, usageError, type Out } from './cli-args.js';
import { resolveUser } from './resolve-user.js';

export const USER_SECURITY_COMMANDS = ['import', 'unlock', 'factors', 'factor-remove', 'mfa-reset'] as const;
export type UserSecurityCommand = (typeof USER_SECURITY_COMMANDS)[number];

const day = (iso: string | null) => iso?.slice(0, 10) ?? 'never';
const factorLine = (f: FactorView) =>
  `${f.id}  ${f.kind.padEnd(7)}  ${f.name}  added ${day(f.created_at)}  last used ${day(f.last_used_at)}` +
  ('credential_id_prefix' in f ? `  ${f.backed_up ? 'synced' : 'device-bound'}  credential ${f.credential_id_prefix}…` : '');

async function mfaCommands(s: Services, sub: 'factors' | 'factor-remove' | 'mfa-reset', args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [user, factorId] } = parseWithArgs(args, { json: { type: 'boolean' } }, sub === 'factor-remove' ? 2 : 1);
  const id = await resolveUser(s, user, `user ${sub}`);
  if (sub === 'factors') {
    const r = await s.admin.mfa.listFactors(id);
    emit(out, v.json, r, () => [
      ...(r.items.length ? r.items.map(factorLine) : ['no second factor enrolled']),
      `recovery codes remaining: ${r.recovery_codes_remaining}`, `multi-factor sign-in required: ${r.mfa_required ? 'yes' : 'no'}`,
    ]);
  } else if (sub === 'factor-remove') {
    if (!factorId) throw usageError('user factor-remove needs USER and FACTOR_ID (see user factors)');
    const r = await s.admin.mfa.removeFactor(id, factorId, cliActor());
    emit(out, v.json, r, () => [
      `removed ${r.factor.kind} factor ${r.factor.name} (${r.factor.id})`,
      ...(r.recovery_codes_removed ? [`that was the last factor: ${r.recovery_codes_removed} recovery code(s) removed too`] : []),
    ]);
  } else {
    const r = await s.admin.mfa.resetFactors(id, cliActor());
    emit(out, v.json, r, () => [`reset multi-factor sign-in: removed ${r.factors_removed} factor(s) and ${r.recovery_codes_removed} recovery code(s)`]);
  }
  return 0;
}

export async function userSecurityCommands(s: Services, sub: UserSecurityCommand, args: string[], out: Out): Promise<number> {
  if (sub !== 'import' && sub !== 'unlock') return mfaCommands(s, sub, args, out);
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
