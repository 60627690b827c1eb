// Input for a client's token-exchange policy: one schema for the admin API and the CLI.
import { z } from 'zod';

export const exchangePolicySchema = z.object({
  audiences: z.array(z.string().trim().max(2000).refine((v) => URL.canParse(v), 'must be an absolute URI')).min(1).max(50),
  may_impersonate: z.boolean().default(false),
  max_ttl: z.number().int().positive().nullable().default(null),
  allow_refresh_token_subject: z.boolean().default(false),
  allow_id_token_subject: z.boolean().default(false),
}).strict();

export type ExchangePolicyInput = z.output<typeof exchangePolicySchema>;

export const policyView = (p: { clientId: string; audiences: string[]; mayImpersonate: boolean; maxTtl: number | null; allowRefreshTokenSubject: boolean; allowIdTokenSubject: boolean }) => ({
  client_id: p.clientId, audiences: p.audiences, may_impersonate: p.mayImpersonate, max_ttl: p.maxTtl,
  allow_refresh_token_subject: p.allowRefreshTokenSubject, allow_id_token_subject: p.allowIdTokenSubject,
});

export const fromInput = (clientId: string, i: ExchangePolicyInput) => ({
  clientId, audiences: i.audiences, mayImpersonate: i.may_impersonate, maxTtl: i.max_ttl,
  allowRefreshTokenSubject: i.allow_refresh_token_subject, allowIdTokenSubject: i.allow_id_token_subject,
});
