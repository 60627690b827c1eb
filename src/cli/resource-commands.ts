import type { Composition as Services } from '../main.js';
import { emitList, parse, usageError, type Out } from './cli-args.js';
import { cliActor } from '../security/admin-audit.js';

export async function resourceCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'create') {
    const v = parse(args, {
      indicator: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string' },
      'access-token-ttl': { type: 'string' }, json: { type: 'boolean' },
    });
    const indicator = v.indicator as string | undefined;
    if (!indicator) throw usageError('resource create needs --indicator (an absolute URI, RFC 8707 §2)');
    let uri: URL;
    try {
      uri = new URL(indicator);
    } catch {
      throw usageError('--indicator must be an absolute URI');
    }
    if (uri.hash) throw usageError('--indicator must not have a fragment (RFC 8707 §2)');
    const ttl = v['access-token-ttl'] === undefined ? null : Number(v['access-token-ttl']);
    if (ttl !== null && (!Number.isInteger(ttl) || ttl <= 0)) throw usageError('--access-token-ttl must be a positive integer (seconds)');
    const rs = await s.admin.operations.createResource({
      indicator, name: (v.name as string | undefined) ?? indicator,
      scopes: ((v.scope as string | undefined) ?? '').split(' ').filter(Boolean), accessTokenTtl: ttl,
    }, cliActor());
    out(v.json ? JSON.stringify(rs) : `created resource server ${rs.indicator} (scopes: ${rs.scopes.join(' ') || 'none'})`);
    return 0;
  }
  if (sub === 'list') {
    const v = parse(args, { json: { type: 'boolean' } });
    const list = await s.stores.resources.list();
    emitList(out, v.json, list, 'no resource servers', (r) => `${r.indicator}  ${r.scopes.join(' ')}`);
    return 0;
  }
  throw usageError(`unknown resource command: ${sub ?? ''}`);
}
