// `gatehouse client exchange-policy set|show|delete CLIENT_ID`: RFC 8693 policy.
import type { Composition as Services } from '../main.js';
import { cliActor } from '../security/admin-audit.js';
import { exchangePolicySchema } from '../exchange/exchange-policy-schema.js';
import { parseInput } from '../errors/domain-error.js';
import { emit, parseWithArgs, usageError, type Out } from './cli-args.js';

export async function exchangePolicyCommands(s: Services, args: string[], out: Out): Promise<number> {
  const [action, ...rest] = args;
  const { values: v, positionals: [clientId] } = parseWithArgs(rest, {
    audience: { type: 'string', multiple: true }, 'subject-audience': { type: 'string', multiple: true }, impersonation: { type: 'boolean' }, 'max-ttl': { type: 'string' },
    'allow-refresh-token-subject': { type: 'boolean' }, 'allow-id-token-subject': { type: 'boolean' }, json: { type: 'boolean' },
  }, 1);
  if (!clientId) throw usageError(`client exchange-policy ${action ?? ''} needs a CLIENT_ID`);
  const show = (p: Record<string, unknown>) => Object.entries(p).map(([k, x]) => `${k}: ${Array.isArray(x) ? x.join(' ') : String(x)}`);
  if (action === 'set') {
    const policy = await s.admin.exchangePolicies.set(clientId, parseInput(exchangePolicySchema, {
      audiences: v.audience ?? [], subject_audiences: v['subject-audience'] ?? [], may_impersonate: Boolean(v.impersonation),
      max_ttl: v['max-ttl'] === undefined ? null : Number(v['max-ttl']),
      allow_refresh_token_subject: Boolean(v['allow-refresh-token-subject']), allow_id_token_subject: Boolean(v['allow-id-token-subject']),
    }), cliActor());
    emit(out, v.json, policy, () => show(policy));
    return 0;
  }
  if (action === 'show') {
    const policy = await s.admin.exchangePolicies.get(clientId);
    emit(out, v.json, policy, () => show(policy));
    return 0;
  }
  if (action === 'delete') {
    await s.admin.exchangePolicies.remove(clientId, cliActor());
    emit(out, v.json, { client_id: clientId, deleted: true }, () => [`removed the exchange policy of ${clientId}`]);
    return 0;
  }
  throw usageError(`unknown client exchange-policy command: ${action ?? ''}`);
}
