// `gatehouse registration token`: an initial access token for dynamic client
// registration (RFC 7591 §3), shown once.
import type { Composition as Services } from '../main.js';
import { cliActor } from '../security/admin-audit.js';
import { registrationTokenSchema } from '../admin/registration-admin.js';
import { parseInput } from '../errors/domain-error.js';
import { emit, parseWithArgs, usageError, type Out } from './cli-args.js';

export async function registrationCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub !== 'token') throw usageError(`unknown registration command: ${sub ?? ''}`);
  const { values: v } = parseWithArgs(args, { ttl: { type: 'string' }, reusable: { type: 'boolean' }, json: { type: 'boolean' } }, 0);
  const input = parseInput(registrationTokenSchema, { ...(v.ttl !== undefined ? { expires_in: Number(v.ttl) } : {}), reusable: Boolean(v.reusable) });
  const r = await s.admin.registration.mint(input, cliActor());
  emit(out, v.json, r, () => [
    `initial_access_token: ${r.initial_access_token}   (shown once)`,
    `expires_at:           ${r.expires_at}${r.reusable ? '' : '   (single use)'}`,
    `register with:        POST ${r.registration_endpoint}  Authorization: Bearer <token>`,
  ]);
  return 0;
}
