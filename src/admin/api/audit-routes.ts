// /admin/api/audit: read the security audit log (newest first, cursor paging
// by id), verify its keyed hash chain (optionally against an anchor, to catch
// truncation) and read the head to anchor. Read-only: the log is append-only.
import type Router from '@koa/router';
import { z } from 'zod';
import type { AuditLog } from '../../security/audit-log.js';
import { parseInput } from '../../errors/domain-error.js';
import { formatAnchor, parseAnchor, type Anchor } from '../../security/audit-chain.js';
import { filterText } from '../user-schemas.js';

const query = z.object({
  type: filterText(100).min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.bigint().positive().optional(),
}).strict();

const verifyQuery = z.object({
  anchor: z.string().max(100).transform((text, ctx): Anchor => {
    const a = parseAnchor(text);
    if (!a) ctx.addIssue({ code: 'custom', message: 'expected ID:HASH as returned by GET /admin/api/audit/anchor' });
    return a ?? { id: 0n, hash: '' };
  }).optional(),
}).strict();

export function addAuditRoutes(router: Router, log: AuditLog): void {
  router.get('/audit', async (ctx) => {
    const q = parseInput(query, ctx.query);
    const rows = await log.page(q);
    ctx.body = {
      items: rows.map((r) => ({
        id: String(r.id), at: r.at.toISOString(), type: r.type, outcome: r.outcome, subject: r.subject,
        client_id: r.clientId, ip: r.ip, details: r.details, hash: r.hash,
      })),
      next_before: rows.length === q.limit ? String(rows[rows.length - 1]!.id) : null,
    };
  });
  router.get('/audit/verify', async (ctx) => {
    const { anchor } = parseInput(verifyQuery, ctx.query);
    const r = await log.verify(anchor);
    ctx.body = {
      ok: r.ok, checked: r.checked, broken_at: r.brokenAt === undefined ? null : String(r.brokenAt),
      reason: r.reason ?? null, anchor: anchor ? formatAnchor(anchor) : null,
    };
  });
  router.get('/audit/anchor', async (ctx) => {
    const head = await log.head();
    ctx.body = head ? { id: String(head.id), hash: head.hash, anchor: formatAnchor(head) } : { id: null, hash: null, anchor: null };
  });
}
