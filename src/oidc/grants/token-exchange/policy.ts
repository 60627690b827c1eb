// Token-exchange rules (RFC 8693), in one place:
// - only confidential clients with a stored policy may exchange (unauthorized_client);
// - the subject token must have been issued to the client, or for an API the
//   client serves (policy subjectAudiences): a service cannot launder tokens
//   it merely saw pass by (invalid_grant);
// - one target per request, a registered resource server the policy lists (invalid_target);
// - scopes only narrow: requested ⊆ subject's ⊆ the target's (invalid_scope);
// - the issued token never outlives the subject token, nor the policy's max TTL;
// - impersonation (no actor) only when the policy allows it; otherwise the
//   client must name an actor, and becomes `act` (delegation, §4.1), nested
//   under any `act` the subject already carries; a subject's `may_act` (§4.4)
//   must name the actor.
// Trade-off: delegation-only is the default because an `act` chain keeps
// every hop visible to the final API and to the audit log.
import { errors } from 'oidc-provider';
import type { ExchangePolicy } from '../../../exchange/exchange-policy-store.js';

export type Act = { sub: string; act?: Act };

// Long chains are almost certainly loops or misuse, and bloat every token.
export const MAX_CHAIN = 5;

export function narrowScope(requested: string | undefined, subject: string[], target: string[]): string[] {
  const allowed = subject.filter((s) => target.includes(s));
  if (requested === undefined) {
    if (!allowed.length) throw new errors.InvalidScope('the subject token has no scope valid for this audience', subject.join(' '));
    return allowed;
  }
  const wanted = requested.split(' ').filter(Boolean);
  const widened = wanted.filter((s) => !allowed.includes(s));
  if (!wanted.length || widened.length) throw new errors.InvalidScope('requested scope exceeds the subject token or audience', widened.join(' ') || requested);
  return wanted;
}

export function checkSubjectBinding(policy: ExchangePolicy, clientId: string, subject: { clientId: string | undefined; aud: string[] }): void {
  if (subject.clientId === clientId) return;
  if (subject.aud.some((a) => policy.subjectAudiences.includes(a))) return;
  throw new errors.InvalidGrant('subject_token was not issued to this client or for an API it serves');
}

export function chooseTarget(policy: ExchangePolicy, targets: string[]): string {
  const unique = [...new Set(targets)];
  if (unique.length !== 1) throw new errors.InvalidTarget('name exactly one audience or resource');
  if (!policy.audiences.includes(unique[0]!)) throw new errors.InvalidTarget('this client may not obtain tokens for that audience');
  return unique[0]!;
}

export function actorClaim(policy: ExchangePolicy, actor: string | undefined, subjectAct: Act | undefined, mayAct: { sub?: string } | undefined): Act | undefined {
  if (!actor) {
    if (!policy.mayImpersonate) throw new errors.InvalidRequest('this client may only delegate: actor_token is required');
    return subjectAct; // impersonation keeps any earlier chain as it was
  }
  if (mayAct?.sub && mayAct.sub !== actor) throw new errors.InvalidGrant('the subject token does not allow this actor (may_act)');
  let depth = 0;
  for (let a = subjectAct; a; a = a.act) depth++;
  if (depth >= MAX_CHAIN) throw new errors.InvalidGrant(`delegation chains are limited to ${MAX_CHAIN} actors`);
  return subjectAct ? { sub: actor, act: subjectAct } : { sub: actor };
}

export function issuedLifetime(policy: ExchangePolicy, targetTtl: number, subjectExp: number | undefined, now: number): number {
  const bounds = [targetTtl, policy.maxTtl ?? Infinity, subjectExp === undefined ? Infinity : subjectExp - now];
  const ttl = Math.floor(Math.min(...bounds));
  if (ttl <= 0) throw new errors.InvalidGrant('subject token expired');
  return ttl;
}
