// `gatehouse client ...`: the admin API's client operations from the shell.
// Input goes through the same schema as the REST API (client-schemas.ts).
import { readFileSync } from 'node:fs';
import type { Composition as Services } from '../main.js';
import { clientCreateSchema, clientUpdateSchema, pageSchema } from '../admin/client-schemas.js';
import { parseInput } from '../errors/domain-error.js';
import type { ClientView } from '../admin/client-admin.js';
import { emit, emitList, flagBool, parseWithArgs, usageError, type Out } from './cli-args.js';
import { cliActor } from '../security/admin-audit.js';
import { exchangePolicyCommands } from './exchange-policy-commands.js';

const METADATA_FLAGS = {
  name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true }, 'grant-types': { type: 'string' },
  scope: { type: 'string' }, 'auth-method': { type: 'string' }, 'client-uri': { type: 'string' },
  'refresh-idle-ttl': { type: 'string' }, 'refresh-absolute-ttl': { type: 'string' }, json: { type: 'boolean' },
  'tls-subject-dn': { type: 'string' }, 'jwks-file': { type: 'string' },
  'backchannel-logout-uri': { type: 'string' }, 'backchannel-logout-session-required': { type: 'string' },
} as const;

// Sender-constraint and PAR switches (RFC 9449, 8705, 9126), create only.
const SWITCHES = {
  'require-par': 'require_pushed_authorization_requests',
  'dpop-bound': 'dpop_bound_access_tokens',
  'mtls-bound': 'tls_client_certificate_bound_access_tokens',
  'require-mfa': 'require_mfa', // every sign-in for the client needs a second factor (issue 14)
} as const;

const list = (v: unknown) => (v as string | undefined)?.split(',').map((g) => g.trim()).filter(Boolean);
const num = (v: unknown) => (v === undefined ? undefined : Number(v));
const orNull = <T>(v: unknown, f: (x: unknown) => T) => (v === '' ? null : v === undefined ? undefined : f(v));

/** Flags shared by create and update, in API field names (undefined = not given). */
function metadataInput(v: Record<string, unknown>, update: boolean): Record<string, unknown> {
  const optional = update ? orNull : (x: unknown, f: (y: unknown) => unknown) => (x === undefined ? undefined : f(x));
  return {
    client_name: v.name, redirect_uris: v['redirect-uri'], post_logout_redirect_uris: v['post-logout-redirect-uri'],
    grant_types: list(v['grant-types']), token_endpoint_auth_method: v['auth-method'],
    scope: optional(v.scope, String), client_uri: optional(v['client-uri'], String),
    refresh_token_idle_ttl: optional(v['refresh-idle-ttl'], num), refresh_token_absolute_ttl: optional(v['refresh-absolute-ttl'], num),
    tls_client_auth_subject_dn: optional(v['tls-subject-dn'], String),
    jwks: optional(v['jwks-file'], (f) => JSON.parse(readFileSync(String(f), 'utf8'))),
    backchannel_logout_uri: optional(v['backchannel-logout-uri'], String),
    backchannel_logout_session_required: flagBool(v['backchannel-logout-session-required'], 'backchannel-logout-session-required'),
  };
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

function describe(c: ClientView): string[] {
  return Object.entries(c).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`);
}

const printSecret = (out: Out, json: unknown, c: ClientView, secret: string | null) =>
  emit(out, json, { ...c, client_secret: secret }, () => [
    `client_id:     ${c.client_id}`, ...(secret ? [`client_secret: ${secret}   (shown once: store it now)`] : []),
  ]);

async function create(s: Services, args: string[], out: Out): Promise<number> {
  const switches = Object.fromEntries(Object.keys(SWITCHES).map((k) => [k, { type: 'boolean' as const }]));
  const { values: v } = parseWithArgs(args, { ...METADATA_FLAGS, ...switches, public: { type: 'boolean' }, 'first-party': { type: 'boolean' }, admin: { type: 'boolean' } }, 0);
  if (!v.name) throw usageError('client create needs --name');
  const grants = list(v['grant-types']);
  if (!v['redirect-uri'] && (!grants || grants.includes('authorization_code'))) {
    throw usageError('client create needs --redirect-uri for the authorization_code grant');
  }
  const input = defined({ ...metadataInput(v, false), first_party: Boolean(v['first-party']), admin: Boolean(v.admin) });
  for (const [flag, key] of Object.entries(SWITCHES)) if (v[flag]) input[key] = true;
  if (v.public) input.token_endpoint_auth_method = 'none';
  const { client, client_secret } = await s.admin.clients.create(parseInput(clientCreateSchema, input), cliActor());
  printSecret(out, v.json, client, client_secret);
  return 0;
}

async function update(s: Services, args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [id] } = parseWithArgs(args, {
    ...METADATA_FLAGS, 'first-party': { type: 'string' }, admin: { type: 'string' }, 'require-mfa': { type: 'string' },
  }, 1);
  if (!id) throw usageError('client update needs a CLIENT_ID');
  const input = defined({
    ...metadataInput(v, true), first_party: flagBool(v['first-party'], 'first-party'), admin: flagBool(v.admin, 'admin'),
    require_mfa: flagBool(v['require-mfa'], 'require-mfa'),
  });
  const { client, client_secret } = await s.admin.clients.update(id, parseInput(clientUpdateSchema, input), cliActor());
  if (client_secret) printSecret(out, v.json, client, client_secret);
  else emit(out, v.json, client, () => describe(client));
  return 0;
}

async function byId(s: Services, sub: string, args: string[], out: Out): Promise<number> {
  const { values: v, positionals: [id] } = parseWithArgs(args, { json: { type: 'boolean' } }, 1);
  if (!id) throw usageError(`client ${sub} needs a CLIENT_ID`);
  if (sub === 'get') {
    const c = await s.admin.clients.get(id);
    emit(out, v.json, c, () => describe(c));
  } else if (sub === 'delete') {
    await s.admin.clients.remove(id, cliActor());
    emit(out, v.json, { client_id: id, deleted: true }, () => [`deleted client ${id} and revoked its grants and tokens`]);
  } else {
    const r = await s.admin.clients.rotateSecret(id, cliActor());
    emit(out, v.json, r, () => [`client_id:     ${r.client_id}`, `client_secret: ${r.client_secret}   (shown once: the old secret no longer works)`]);
  }
  return 0;
}

export async function clientCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'exchange-policy') return exchangePolicyCommands(s, args, out);
  if (sub === 'create') return create(s, args, out);
  if (sub === 'update') return update(s, args, out);
  if (sub === 'get' || sub === 'delete' || sub === 'rotate-secret') return byId(s, sub, args, out);
  if (sub === 'list') {
    const { values: v } = parseWithArgs(args, { json: { type: 'boolean' }, limit: { type: 'string' }, offset: { type: 'string' } }, 0);
    const page = await s.admin.clients.list(parseInput(pageSchema, defined({ limit: v.limit ?? 200, offset: v.offset })));
    // --json prints the array of clients (script-friendly); paging via --limit/--offset.
    emitList(out, v.json, page.items, 'no clients', (c) => `${c.client_id}  ${c.client_name}${c.admin ? '  (admin)' : ''}`);
    return 0;
  }
  throw usageError(`unknown client command: ${sub ?? ''}`);
}
