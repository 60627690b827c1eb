import { readFileSync } from 'node:fs';
import type { Services } from '../main.js';
import { parse, UsageError, type Out } from './index.js';

export async function clientCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'create') {
    const v = parse(args, {
      name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true }, 'grant-types': { type: 'string' },
      scope: { type: 'string' }, public: { type: 'boolean' }, 'first-party': { type: 'boolean' }, json: { type: 'boolean' },
      'refresh-idle-ttl': { type: 'string' }, 'refresh-absolute-ttl': { type: 'string' },
      'auth-method': { type: 'string' }, 'require-par': { type: 'boolean' }, 'dpop-bound': { type: 'boolean' },
      'mtls-bound': { type: 'boolean' }, 'tls-subject-dn': { type: 'string' }, 'jwks-file': { type: 'string' },
    });
    if (!v.name) throw new UsageError('client create needs --name');
    const grantTypes = (v['grant-types'] as string | undefined)?.split(',').map((g) => g.trim()).filter(Boolean);
    const redirectUris = (v['redirect-uri'] as string[] | undefined) ?? [];
    if (!redirectUris.length && (!grantTypes || grantTypes.includes('authorization_code'))) {
      throw new UsageError('client create needs --redirect-uri for the authorization_code grant');
    }
    const client = await s.clients.create({
      extra: extraMetadata(v), authMethod: v['auth-method'] as string | undefined,
      name: v.name as string, redirectUris, grantTypes, scope: v.scope as string | undefined,
      postLogoutRedirectUris: v['post-logout-redirect-uri'] as string[] | undefined,
      public: Boolean(v.public), firstParty: Boolean(v['first-party']),
    });
    if (v.json) {
      out(JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret ?? null, ...client.metadata }));
    } else {
      out(`client_id:     ${client.clientId}`);
      if (client.clientSecret) out(`client_secret: ${client.clientSecret}   (shown once: store it now)`);
    }
    return 0;
  }
  if (sub === 'list') {
    const v = parse(args, { json: { type: 'boolean' } });
    const clients = await s.clients.list();
    if (v.json) out(JSON.stringify(clients.map((c) => ({ client_id: c.clientId, name: c.name, first_party: c.firstParty, ...c.metadata }))));
    else for (const c of clients) out(`${c.clientId}  ${c.name}`);
    return 0;
  }
  throw new UsageError(`unknown client command: ${sub ?? ''}`);
}

/** Optional client metadata from CLI flags (RFC 7591 / 8705 / 9126 / 9449 names). */
function extraMetadata(v: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [flag, key] of [['refresh-idle-ttl', 'refresh_token_idle_ttl'], ['refresh-absolute-ttl', 'refresh_token_absolute_ttl']] as const) {
    if (v[flag] !== undefined) extra[key] = Number(v[flag]);
  }
  if (v['require-par']) extra.require_pushed_authorization_requests = true;
  if (v['dpop-bound']) extra.dpop_bound_access_tokens = true;
  if (v['mtls-bound']) extra.tls_client_certificate_bound_access_tokens = true;
  if (v['tls-subject-dn']) extra.tls_client_auth_subject_dn = v['tls-subject-dn'];
  if (v['jwks-file']) extra.jwks = JSON.parse(readFileSync(v['jwks-file'] as string, 'utf8'));
  return extra;
}
