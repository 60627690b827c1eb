// Admin API test helpers: admin clients and their tokens (client_credentials
// for the admin API resource), and a JSON fetch that keeps every response
// body so tests can check no secret ever comes back.
import type { TestServer } from './server.js';
import { postForm, type TestClient } from './token-client.js';
import { adminApiIndicator } from '../../src/access/admin-access.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any; // tests index into responses freely
}

export async function createAdminClient(server: TestServer, admin = true): Promise<TestClient> {
  const c = await server.services.stores.clients.create({ name: admin ? 'automation' : 'not-admin', redirectUris: [], grantTypes: ['client_credentials'], admin });
  return { clientId: c.clientId, clientSecret: c.clientSecret! };
}

/** client_credentials for the admin API; `scope` defaults to admin. */
export async function clientToken(server: TestServer, client: TestClient, scope = 'admin') {
  return postForm(server.issuer, '/token', client, {
    grant_type: 'client_credentials', resource: adminApiIndicator(server.issuer), ...(scope ? { scope } : {}),
  });
}

export async function adminToken(server: TestServer): Promise<string> {
  const r = await clientToken(server, await createAdminClient(server));
  if (r.status !== 200) throw new Error(`no admin token: ${r.text}`);
  return r.json.access_token as string;
}

export function createApi(server: TestServer) {
  const seen: string[] = [];
  async function call(method: string, path: string, token: string | null, body?: unknown): Promise<ApiResponse> {
    const res = await fetch(`${server.issuer}/admin/api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    seen.push(text);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON (204) */
    }
    return { status: res.status, headers: res.headers, text, json };
  }
  return {
    call,
    /** Every response body so far, for "never returned again" checks. */
    seen: () => seen.join('\n'),
    as: (token: string) => ({
      get: (p: string) => call('GET', p, token),
      post: (p: string, b?: unknown) => call('POST', p, token, b ?? {}),
      patch: (p: string, b: unknown) => call('PATCH', p, token, b),
      delete: (p: string) => call('DELETE', p, token),
    }),
  };
}

/** The field names a 400 response reports. */
export const fieldsOf = (r: ApiResponse): string[] => (r.json?.fields ?? []).map((f: { field: string }) => f.field);
