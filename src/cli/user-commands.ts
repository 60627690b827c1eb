// `gatehouse user ...`: the admin API's user operations from the shell. USER is
// an id or an email address. Input goes through the REST API's schemas.
import type { Composition as Services } from '../main.js';
import { passwordResetSchema, userCreateSchema, userQuerySchema, userUpdateSchema } from '../admin/user-schemas.js';
import { parseInput } from '../errors/domain-error.js';
import type { UserView } from '../admin/user-admin.js';
import { emit, emitList, flagBool, parseWithArgs, usageError, type Out } from './cli-args.js';
import { cliActor } from '../security/admin-audit.js';
import { USER_SECURITY_COMMANDS, userSecurityCommands, type UserSecurityCommand } from './user-security-commands.js';
import { CONTACT_FLAGS, contactInput } from './user-contact-flags.js';
import { resolveUser } from './resolve-user.js';

export { resolveUser };

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
const line = (u: UserView) =>
  `${u.id}  ${u.email}${u.roles.length ? `  [${u.roles.join(' ')}]` : ''}${u.disabled ? '  (disabled)' : ''}${u.mfa_required ? '  (mfa required)' : ''}`;

async function create(s: Services, args: string[], out: Out): Promise<number> {
  const { values: v } = parseWithArgs(args, {
    email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, 'given-name': { type: 'string' },
    'family-name': { type: 'string' }, role: { type: 'string', multiple: true }, 'email-verified': { type: 'boolean' }, json: { type: 'boolean' },
    ...CONTACT_FLAGS, 'phone-number-verified': { type: 'boolean' }, 'mfa-required': { type: 'boolean' },
  }, 0);
  if (!v.email || !v.password) throw usageError('user create needs --email and --password');
  // The password policy (length, common passwords) is the admin service's: exit 1 with its message.
  const user = await s.admin.users.create(parseInput(userCreateSchema, defined({
    email: v.email, password: v.password, name: v.name, given_name: v['given-name'], family_name: v['family-name'],
    roles: v.role ?? [], email_verified: Boolean(v['email-verified']), mfa_required: Boolean(v['mfa-required']), ...contactInput(v, 'create'),
  })), cliActor());
  emit(out, v.json, user, () => [`created user ${user.email} (${user.id})`]);
  return 0;
}

async function update(s: Services, args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [user] } = parseWithArgs(args, {
    email: { type: 'string' }, name: { type: 'string' }, 'given-name': { type: 'string' }, 'family-name': { type: 'string' },
    roles: { type: 'string' }, 'email-verified': { type: 'string' }, json: { type: 'boolean' },
    ...CONTACT_FLAGS, 'phone-number-verified': { type: 'string' }, 'mfa-required': { type: 'string' },
  }, 1);
  const id = await resolveUser(s, user, 'user update');
  const changesAddress = Object.keys(v).some((k) => k.startsWith('address-'));
  const current = changesAddress ? (await s.admin.users.get(id)).address : undefined;
  const orNull = (x: unknown) => (x === '' ? null : x);
  const roles = v.roles === undefined ? undefined : String(v.roles).split(/[\s,]+/).filter(Boolean);
  const u = await s.admin.users.update(id, parseInput(userUpdateSchema, defined({
    email: v.email, name: orNull(v.name), given_name: orNull(v['given-name']), family_name: orNull(v['family-name']),
    roles, email_verified: flagBool(v['email-verified'], 'email-verified'), mfa_required: flagBool(v['mfa-required'], 'mfa-required'),
    ...contactInput(v, 'update', current),
  })), cliActor());
  emit(out, v.json, u, () => [`updated ${line(u)}`]);
  return 0;
}

async function byUser(s: Services, sub: string, args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [user] } = parseWithArgs(args, { json: { type: 'boolean' }, password: { type: 'string' } }, 1);
  const id = await resolveUser(s, user, `user ${sub}`);
  if (sub === 'reset-password') {
    const r = await s.admin.users.resetPassword(id, parseInput(passwordResetSchema, defined({ password: v.password })).password, cliActor());
    emit(out, v.json, r, () => [
      `password reset for ${r.user.email}; ${r.sessions_ended} session(s) ended`,
      ...(r.password ? [`new password: ${r.password}   (shown once)`] : []),
    ]);
    return 0;
  }
  if (v.password !== undefined) throw usageError(`--password is only for user reset-password`);
  const u = sub === 'get' ? await s.admin.users.get(id) : await s.admin.users.setDisabled(id, sub === 'disable', cliActor());
  emit(out, v.json, u, () => [sub === 'get' ? line(u) : `${sub}d ${line(u)}`]);
  return 0;
}

/** `user send-verification USER`: mails a new verification link (admin/email-admin.ts, audited). */
async function sendVerification(s: Services, args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [user] } = parseWithArgs(args, { json: { type: 'boolean' } }, 1);
  const r = await s.admin.email.sendVerification(await resolveUser(s, user, 'user send-verification'), cliActor());
  emit(out, v.json, r, () => [`sent a verification link to ${r.email}`]);
  return 0;
}

export async function userCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'create') return create(s, args, out);
  if (sub === 'update') return update(s, args, out);
  if (USER_SECURITY_COMMANDS.includes(sub as UserSecurityCommand)) return userSecurityCommands(s, sub as UserSecurityCommand, args, out);
  if (sub === 'send-verification') return sendVerification(s, args, out);
  if (sub === 'get' || sub === 'disable' || sub === 'enable' || sub === 'reset-password') return byUser(s, sub, args, out);
  if (sub === 'list') {
    const { values: v } = parseWithArgs(args, { json: { type: 'boolean' }, search: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } }, 0);
    const page = await s.admin.users.list(parseInput(userQuerySchema, defined({ q: v.search, limit: v.limit ?? 200, offset: v.offset })));
    emitList(out, v.json, page.items, v.search === undefined ? 'no users' : 'no users match', line);
    return 0;
  }
  throw usageError(`unknown user command: ${sub ?? ''}`);
}
