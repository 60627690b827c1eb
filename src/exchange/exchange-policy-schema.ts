// Input for a client's token-exchange policy: one schema for the admin API and the CLI.
import { z } from 'zod';

const uri = z.string().trim().max(2000).refine((v) => URL.canParse(v), 'must be an absolute URI');

export const exchangePolicySchema = z.object({
  audiences: z.array(uri).min(1).max(50),
  subject_audiences: z.array(uri).max(50).default([]),
  may_impersonate: z.boolean().default(false),
  max_ttl: z.number().int().positive().nullable().default(null),
  allow_refresh_token_subject: z.boolean().default(false),
  allow_id_token_subject: z.boolean().default(false),
}).strict();

export type ExchangePolicyInput = z.output<typeof exchangePolicySchema>;

export const policyView = (p: { clientId: string; audiences: string[]; subjectAudiences: string[]; mayImpersonate: boolean; maxTtl: number | null; allowRefreshTokenSubject: boolean; allowIdTokenSubject: boolean }) => ({
  client_id: p.clientId, audiences: p.audiences, subject_audiences: p.subjectAudiences, may_impersonate: p.mayImpersonate, max_ttl: p.maxTtl,
  allow_refresh_token_subject: p.allowRefreshTokenSubject, allow_id_token_subject: p.allowIdTokenSubject,
});

export const fromInput = (clientId: string, i: ExchangePolicyInput) => ({
  clientId, audiences: i.audiences, subjectAudiences: i.subject_audiences, mayImpersonate: i.may_impersonate, maxTtl: i.max_ttl,
  allowRefreshTokenSubject: i.allow_refresh_token_subject, allowIdTokenSubject: i.allow_id_token_subject,
});
