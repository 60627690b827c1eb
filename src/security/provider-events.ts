// Turns oidc-provider events into security events.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../http/logger.js';
import type { SecurityEvents } from './security-events.js';
import { isRefreshTokenReuse } from '../oidc/provider-seam.js';

export function recordProviderEvents(provider: Provider, events: SecurityEvents, log: Logger): void {
  const record = (e: Parameters<SecurityEvents['record']>[0]) =>
    void events.record(e).catch((err: Error) => log.error('could not record security event', { type: e.type, err: err.message }));

  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: { error_detail?: string }) => {
    // RFC 9700 §4.14.2: a rotated refresh token presented again means the
    // family may be stolen; oidc-provider and refresh-adapter.ts revoke it.
    if (isRefreshTokenReuse(err)) {
      const rt = ctx.oidc.entities.RefreshToken;
      record({
        type: 'refresh_token.reuse', outcome: 'revoked', subject: rt?.accountId ?? null,
        clientId: ctx.oidc.client?.clientId ?? null, ip: ctx.ip, details: { grantId: rt?.grantId ?? null },
      });
    }
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const { entities, params, client } = ctx.oidc;
    const subject = entities.Account?.accountId ?? null;
    record({
      type: 'token.issued', outcome: 'success', subject, clientId: client?.clientId ?? null, ip: ctx.ip,
      details: { grantType: String(params?.grant_type ?? ''), grantId: entities.Grant?.jti ?? null },
    });
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    record({ type: 'logout', outcome: 'success', subject: ctx.oidc.session?.accountId ?? null, clientId: ctx.oidc.client?.clientId ?? null, ip: ctx.ip });
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    record({ type: 'grant.revoked', outcome: 'revoked', clientId: ctx.oidc.client?.clientId ?? null, ip: ctx.ip, details: { grantId } });
  });
}
