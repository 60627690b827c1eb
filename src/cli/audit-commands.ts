// `gatehouse audit verify|anchor|tail`. An anchor (the head, printed by
// `audit anchor` and kept on another system) lets `verify --anchor` detect
// events deleted from the end, which the chain alone cannot (audit-chain.ts).
import type { Composition as Services } from '../main.js';
import { parse, usageError, type Out } from './cli-args.js';
import { formatAnchor, parseAnchor } from '../security/audit-chain.js';

export async function auditCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'verify') {
    const v = parse(args, { json: { type: 'boolean' }, anchor: { type: 'string' } });
    const anchor = v.anchor === undefined ? undefined : parseAnchor(String(v.anchor));
    if (anchor === null) throw usageError('--anchor takes ID:HASH as printed by `gatehouse audit anchor`');
    const r = await s.stores.auditLog.verify(anchor);
    const result = { ok: r.ok, checked: r.checked, broken_at: r.brokenAt === undefined ? null : String(r.brokenAt), reason: r.reason ?? null, anchor: anchor ? formatAnchor(anchor) : null };
    if (v.json) out(JSON.stringify(result));
    else if (r.ok) out(`audit chain intact (${r.checked} events)${anchor ? `, contains the anchored event ${anchor.id}` : ''}`);
    else out(`audit chain BROKEN at event ${r.brokenAt} (after ${r.checked} good events): ${r.reason}`);
    return r.ok ? 0 : 1;
  }
  if (sub === 'anchor') {
    const v = parse(args, { json: { type: 'boolean' } });
    const head = await s.stores.auditLog.head();
    if (!head) throw new Error('the audit log is empty: nothing to anchor yet');
    const anchor = formatAnchor(head);
    out(v.json ? JSON.stringify({ id: String(head.id), hash: head.hash, anchor }) : anchor);
    return 0;
  }
  if (sub === 'tail') {
    const v = parse(args, { lines: { type: 'string', short: 'n' }, type: { type: 'string' }, json: { type: 'boolean' } });
    const n = v.lines === undefined ? 20 : Number(v.lines);
    if (!Number.isInteger(n) || n <= 0 || n > 10_000) throw usageError('-n must be an integer from 1 to 10000');
    const rows = (await s.stores.auditLog.list(v.type as string | undefined, n)).reverse();
    // --json prints JSON lines (one event each), so an empty log prints nothing there.
    if (!rows.length && !v.json) out(v.type ? `no audit events of type ${v.type}` : 'no audit events');
    for (const r of rows) {
      const e = { id: String(r.id), at: r.at.toISOString(), type: r.type, outcome: r.outcome, subject: r.subject, client_id: r.clientId, ip: r.ip, details: r.details };
      out(v.json ? JSON.stringify(e) : `${e.at}  ${e.type.padEnd(18)} ${e.outcome.padEnd(8)} sub=${e.subject ?? '-'} client=${e.client_id ?? '-'} ip=${e.ip ?? '-'}`);
    }
    return 0;
  }
  throw usageError(`unknown audit command: ${sub ?? ''}`);
}
