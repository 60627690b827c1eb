// The committed OpenAPI document matches the router exactly, is served at
// /admin/api/openapi.json, and every documented operation refuses requests
// without a token (401) and with an insufficient one (403).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/fixture.js';
import { clientToken, createAdminClient, createApi } from '../../helpers/admin-api.js';
import { ADMIN_API_PREFIX, buildAdminApi } from '../../../src/admin/api/api-router.js';
import { OPENAPI_PATH } from '../../../src/app.js';

const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** "METHOD /path/{param}" for every route the routers serve. */
function routerOperations(): string[] {
  const { docs, api } = buildAdminApi({
    verifier: {} as never, audience: '', clients: {} as never, users: {} as never, clientAdmin: {} as never, exchangePolicyAdmin: {} as never,
    userAdmin: {} as never, mfaAdmin: {} as never, emailAdmin: {} as never, registrationAdmin: {} as never, auditLog: {} as never, log: {} as never, openapiPath: OPENAPI_PATH,
  });
  return [...docs.stack, ...api.stack]
    .filter((layer) => layer.methods.length > 0)
    .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).slice(ADMIN_API_PREFIX.length).replace(/:(\w+)/g, '{$1}')}`))
    .sort();
}

function documentedOperations(): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe('admin API OpenAPI document', () => {
  const server = useServer({ backend: 'postgres' });
  let api: ReturnType<typeof createApi>;
  beforeAll(async () => {
    api = createApi(server);
  });

  it('documents exactly the routes the router serves', () => {
    expect(routerOperations().length).toBeGreaterThan(15);
    expect(documentedOperations()).toEqual(routerOperations());
  });

  it('is served, unauthenticated, at /admin/api/openapi.json', async () => {
    const res = await fetch(`${server.issuer}/admin/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual(doc);
  });

  it('answers 401 without a token and 403 without the admin scope on every protected operation', async () => {
    const weak = (await clientToken(server, await createAdminClient(server), '')).json.access_token as string;
    const operations = documentedOperations().filter((op) => op !== 'GET /openapi.json');
    for (const op of operations) {
      const [method, template] = op.split(' ') as [string, string];
      const path = template.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const none = await api.call(method, path, null, body);
      expect(none.status, `${op} without a token`).toBe(401);
      expect(none.headers.get('www-authenticate'), op).toMatch(/^Bearer /);
      const insufficient = await api.call(method, path, weak, body);
      expect(insufficient.status, `${op} without the admin scope`).toBe(403);
      expect(insufficient.json.error).toBe('insufficient_scope');
    }
  });
});
