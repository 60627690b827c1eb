// `gatehouse admin bootstrap`: the first administrator, from the shell (the
// only way in before any admin exists). Creates the user with the admin role,
// or grants the role to an existing user (password unchanged), and optionally
// an admin API client for automation (client_credentials, admin flag).
import type { Composition as Services } from '../main.js';
import { cliActor } from '../security/admin-audit.js';
import { clientCreateSchema } from '../admin/client-schemas.js';
import { userCreateSchema } from '../admin/user-schemas.js';
import { parseInput } from '../errors/domain-error.js';
import { ADMIN_ROLE, ADMIN_SCOPE } from '../access/admin-access.js';
import { adminApiIndicator } from '../access/admin-access.js';
import { emit, parseWithArgs, usageError, type Out } from './cli-args.js';

async function ensureAdminUser(s: Services, email: string, password: unknown, name: unknown) {
  const existing = await s.stores.users.findByEmail(email);
  if (existing) {
    const roles = [...new Set([...existing.roles, ADMIN_ROLE])];
    return { user: await s.admin.users.update(existing.id, { roles }, cliActor()), created: false };
  }
  if (typeof password !== 'string') throw usageError('admin bootstrap needs --password for a new user');
  const input = { email, password, roles: [ADMIN_ROLE], email_verified: true, ...(name ? { name } : {}) };
  return { user: await s.admin.users.create(parseInput(userCreateSchema, input), cliActor()), created: true };
}

export async function adminCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub !== 'bootstrap') throw usageError(`unknown admin command: ${sub ?? ''}`);
  const { values: v } = parseWithArgs(args, {
    email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, 'client-name': { type: 'string' }, json: { type: 'boolean' },
  }, 0);
  if (!v.email) throw usageError('admin bootstrap needs --email');
  const { user, created } = await ensureAdminUser(s, v.email as string, v.password, v.name);
  const client = v['client-name']
    ? await s.admin.clients.create(parseInput(clientCreateSchema, { client_name: v['client-name'], grant_types: ['client_credentials'], admin: true }), cliActor())
    : null;
  const { issuer } = s.config;
  const api = { console: `${issuer}/admin`, api: adminApiIndicator(issuer), token_endpoint: `${issuer}/token`, resource: adminApiIndicator(issuer), scope: ADMIN_SCOPE };
  emit(out, v.json, { user, created, client: client ? { ...client.client, client_secret: client.client_secret } : null, ...api }, () => [
    `${created ? 'created admin' : 'granted the admin role to'} ${user.email} (${user.id})`,
    `admin console: ${api.console}`,
    ...(client ? [
      `admin API client_id:     ${client.client.client_id}`,
      `admin API client_secret: ${client.client_secret}   (shown once: store it now)`,
      `get a token: POST ${api.token_endpoint} grant_type=client_credentials resource=${api.resource} scope=${ADMIN_SCOPE}`,
    ] : []),
  ]);
  return 0;
}
