import type { Services } from '../main.js';
import { parse, UsageError, type Out } from './index.js';
import { accountKey } from '../interaction/login-service.js';
import { importUsers } from './user-import.js';

export async function userCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'create') {
    const v = parse(args, {
      email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' },
      role: { type: 'string', multiple: true }, json: { type: 'boolean' },
    });
    if (!v.email || !v.password) throw new UsageError('user create needs --email and --password');
    if (!/^[^\s@]+@[^\s@]+$/.test(v.email as string)) throw new UsageError('--email is not an email address');
    if ((v.password as string).length < 8) throw new UsageError('--password must be at least 8 characters');
    const user = await s.users.create({
      email: v.email as string, password: v.password as string, name: v.name as string | undefined,
      roles: (v.role as string[] | undefined) ?? [],
    });
    out(v.json ? JSON.stringify({ id: user.id, email: user.email, name: user.name, roles: user.roles }) : `created user ${user.email} (${user.id})`);
    return 0;
  }
  if (sub === 'import') {
    const v = parse(args, { file: { type: 'string' }, json: { type: 'boolean' } });
    if (!v.file) throw new UsageError('user import needs --file (JSON lines)');
    const r = await importUsers(s, v.file as string);
    if (v.json) out(JSON.stringify(r));
    else {
      out(`imported ${r.imported} users; ${r.duplicates.length} already existed; ${r.invalid.length} invalid lines`);
      for (const bad of r.invalid) out(`  line ${bad.line}: ${bad.error}`);
    }
    return r.invalid.length ? 1 : 0;
  }
  if (sub === 'unlock') {
    const v = parse(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    if (!v.email) throw new UsageError('user unlock needs --email');
    await s.throttle.reset(accountKey(v.email as string));
    await s.events.record({ type: 'admin.user_unlock', outcome: 'success', details: { email: v.email, via: 'cli' } });
    out(v.json ? JSON.stringify({ unlocked: v.email }) : `unlocked ${v.email}`);
    return 0;
  }
  if (sub === 'list') {
    const v = parse(args, { json: { type: 'boolean' } });
    const users = await s.users.list();
    if (v.json) out(JSON.stringify(users.map(({ id, email, name, roles, disabled }) => ({ id, email, name, roles, disabled }))));
    else for (const u of users) out(`${u.id}  ${u.email}${u.disabled ? '  (disabled)' : ''}`);
    return 0;
  }
  throw new UsageError(`unknown user command: ${sub ?? ''}`);
}
