import type { Services } from '../main.js';
import { parse, UsageError, type Out } from './cli-args.js';

export async function auditCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'verify') {
    const v = parse(args, { json: { type: 'boolean' } });
    const r = await s.events.verify();
    const result = { ok: r.ok, checked: r.checked, broken_at: r.brokenAt === undefined ? null : String(r.brokenAt) };
    if (v.json) out(JSON.stringify(result));
    else out(r.ok ? `audit chain intact (${r.checked} events)` : `audit chain BROKEN at event ${r.brokenAt} (after ${r.checked} good events)`);
    return r.ok ? 0 : 1;
  }
  if (sub === 'tail') {
    const v = parse(args, { lines: { type: 'string', short: 'n' }, type: { type: 'string' }, json: { type: 'boolean' } });
    const n = v.lines === undefined ? 20 : Number(v.lines);
    if (!Number.isInteger(n) || n <= 0 || n > 10_000) throw new UsageError('-n must be an integer from 1 to 10000');
    const rows = (await s.events.list(v.type as string | undefined, n)).reverse();
    for (const r of rows) {
      const e = { id: String(r.id), at: r.at.toISOString(), type: r.type, outcome: r.outcome, subject: r.subject, client_id: r.clientId, ip: r.ip, details: r.details };
      out(v.json ? JSON.stringify(e) : `${e.at}  ${e.type.padEnd(18)} ${e.outcome.padEnd(8)} sub=${e.subject ?? '-'} client=${e.client_id ?? '-'} ip=${e.ip ?? '-'}`);
    }
    return 0;
  }
  throw new UsageError(`unknown audit command: ${sub ?? ''}`);
}
