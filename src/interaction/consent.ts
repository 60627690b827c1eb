// The consent step: render what the client asks for, and on approval save the
// grant (oidc-provider Grant) and remember the consent for next time.
import type { InteractionResults } from 'oidc-provider';
import type { InteractionDeps } from './interaction-routes.js';
import { describeClaims, describeScopes } from './scope-descriptions.js';

type Details = Awaited<ReturnType<InteractionDeps['provider']['interactionDetails']>>;

function missing(d: Details) {
  const details = d.prompt.details as {
    missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]>;
  };
  return {
    scopes: details.missingOIDCScope ?? [],
    claims: details.missingOIDCClaims ?? [],
    resourceScopes: details.missingResourceScopes ?? {},
  };
}

export async function consentPage(deps: InteractionDeps, d: Details, lang?: string): Promise<string> {
  const client = await deps.provider.Client.find(String(d.params.client_id));
  const user = await deps.users.findById(String(d.session?.accountId));
  const m = missing(d);
  const resourceScopes = Object.values(m.resourceScopes).flat();
  return deps.render('consent', {
    lang, csrfToken: deps.csrf.token(d.uid),
    action: `/interaction/${d.uid}/confirm`, abortAction: `/interaction/${d.uid}/abort`,
    clientName: client?.clientName ?? null, clientUri: client?.clientUri ?? null,
    user: { email: user?.email ?? '', name: user?.name ?? null },
    scopes: describeScopes([...new Set([...m.scopes, ...resourceScopes])]),
    claims: describeClaims(m.claims),
  });
}

export async function finishConsent(deps: InteractionDeps, d: Details): Promise<InteractionResults> {
  const { provider } = deps;
  const accountId = String(d.session?.accountId);
  const clientId = String(d.params.client_id);
  const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant vanished during consent');
  const m = missing(d);
  if (m.scopes.length) grant.addOIDCScope(m.scopes.join(' '));
  if (m.claims.length) grant.addOIDCClaims(m.claims);
  for (const [indicator, scopes] of Object.entries(m.resourceScopes)) {
    // Marked rejected (not just left out) so the consent prompt is not asked again.
    const { grant: allowed, reject } = deps.resourceScopes ? await deps.resourceScopes(accountId, indicator, scopes) : { grant: scopes, reject: [] };
    if (allowed.length) grant.addResourceScope(indicator, allowed.join(' '));
    if (reject.length) grant.rejectResourceScope(indicator, reject.join(' '));
  }
  const grantId = await grant.save();
  await deps.consents.remember(accountId, clientId, m.scopes);
  await deps.events.record({
    type: 'consent', outcome: 'success', subject: accountId, clientId,
    details: { scopes: m.scopes, resources: Object.keys(m.resourceScopes) },
  });
  return { consent: d.grantId ? {} : { grantId } };
}
