// The RFC 8693 token endpoint handler: a service trades a user's token for a
// narrower one for the next service (rules in ./policy.ts, subject and actor
// token checks in ./subject-tokens.ts, the token minted through
// ../../provider-seam.ts).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { ExchangePolicyStore } from '../../../exchange/exchange-policy-store.js';
import type { ResourceStore } from '../../../resources/resource-store.js';
import type { SecurityEvents } from '../../../security/security-events.js';
import { mintAccessToken } from '../../provider-seam.js';
import { actorClaim, checkSubjectBinding, chooseTarget, issuedLifetime, narrowScope } from './policy.js';
import type { TokenResolver } from './subject-tokens.js';
import { TOKEN_EXCHANGE, TOKEN_TYPES } from './urns.js';

export interface ExchangeDeps {
  policies: ExchangePolicyStore;
  resources: ResourceStore;
  events: SecurityEvents;
  resolver: TokenResolver;
  resourceInfo: (indicator: string) => Promise<Record<string, unknown>>;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

export function tokenExchangeHandler(deps: ExchangeDeps) {
  return async function tokenExchange(ctx: KoaContextWithOIDC): Promise<void> {
    const { client, provider } = ctx.oidc;
    const p = ctx.oidc.params as Record<string, unknown>;
    const audit = { type: 'token_exchange', clientId: client!.clientId, ip: ctx.ip };
    try {
      // §2.1: confidential clients only, and only with a policy.
      const policy = client!.clientAuthMethod === 'none' ? null : await deps.policies.get(client!.clientId);
      if (!policy) throw new errors.UnauthorizedClient('this client may not exchange tokens');
      if (!p.subject_token || !p.subject_token_type) throw new errors.InvalidRequest('subject_token and subject_token_type are required');
      if (p.actor_token && !p.actor_token_type) throw new errors.InvalidRequest('actor_token_type is required with actor_token');
      const requested = String(p.requested_token_type ?? TOKEN_TYPES.access);
      if (requested !== TOKEN_TYPES.access && requested !== TOKEN_TYPES.jwt) throw new errors.InvalidRequest('requested_token_type must be access_token or jwt');

      const target = chooseTarget(policy, [...list(p.audience), ...list(p.resource)]);
      const rs = await deps.resources.find(target);
      if (!rs) throw new errors.InvalidTarget('unknown audience');
      const subject = await deps.resolver.resolve(String(p.subject_token), String(p.subject_token_type), 'subject_token', policy, client!.clientId);
      if (!subject.sub) throw new errors.InvalidGrant('subject_token has no subject');
      checkSubjectBinding(policy, client!.clientId, subject);
      let actor: string | undefined;
      if (p.actor_token) {
        const a = await deps.resolver.resolve(String(p.actor_token), String(p.actor_token_type), 'actor_token', policy, client!.clientId);
        // The party presenting an actor token must be that actor.
        if (a.clientId !== client!.clientId) throw new errors.InvalidGrant('actor_token must represent the requesting client');
        actor = a.sub ?? a.clientId;
      }
      const act = actorClaim(policy, actor, subject.act, subject.mayAct);
      const scopes = narrowScope(p.scope as string | undefined, subject.scopes, rs.scopes);
      const info = await deps.resourceInfo(target);
      const now = Math.floor(Date.now() / 1000);
      const ttl = issuedLifetime(policy, Number(info.accessTokenTTL), subject.exp, now);

      const value = await mintAccessToken(provider, {
        accountId: subject.sub, client: client!, grantId: subject.grantId, scope: scopes.join(' '), gty: TOKEN_EXCHANGE,
        resource: target, resourceInfo: { ...info, accessTokenTTL: ttl }, act,
      });

      await deps.events.record({ ...audit, outcome: 'success', subject: subject.sub, details: { audience: target, scope: scopes.join(' '), act: act ?? null, impersonation: !act } });
      // §2.2.1
      ctx.body = { access_token: value, issued_token_type: requested, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
    } catch (err) {
      const e = err as { error?: string; error_description?: string };
      await deps.events.record({ ...audit, outcome: 'denied', details: { error: e.error ?? 'server_error', reason: e.error_description ?? null } });
      throw err;
    }
  };
}
