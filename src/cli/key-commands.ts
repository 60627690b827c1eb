import type { Composition as Services } from '../main.js';
import { emitList, parse, usageError, type Out } from './cli-args.js';
import { cliActor } from '../security/admin-audit.js';

export async function keyCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'rotate') {
    const v = parse(args, { now: { type: 'boolean' }, json: { type: 'boolean' } });
    const staged = await s.admin.operations.rotateKeys(Boolean(v.now), cliActor());
    const when = v.now ? 'now' : `in ${s.config.KEY_PUBLISH_AHEAD_SECONDS}s`;
    out(v.json ? JSON.stringify({ staged, activates: when }) : `staged keys ${staged.join(', ')}: published now, signing ${when}`);
    return 0;
  }
  if (sub === 'list') {
    const v = parse(args, { json: { type: 'boolean' } });
    const keys = await s.stores.keys.list();
    const json = keys.map((k) => ({ kid: k.kid, alg: k.alg, status: k.status, activates_at: k.activatesAt, retired_at: k.retiredAt }));
    emitList(out, v.json, keys, 'no signing keys', (k) => `${k.kid}  ${k.alg}  ${k.status.padEnd(7)}  activates ${k.activatesAt.toISOString()}${k.retiredAt ? `  retired ${k.retiredAt.toISOString()}` : ''}`, json);
    return 0;
  }
  throw usageError(`unknown keys command: ${sub ?? ''}`);
}
