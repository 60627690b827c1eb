// Benchmark scenarios: each returns autocannon options for a target server.
import type autocannon from 'autocannon';

export interface Target {
  url: string;
  clientId: string;
  clientSecret: string;
  resource: string;
  tokens: { access_token: string; refresh_token: string }[];
}

type Options = autocannon.Options;
const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
const basic = (t: Target) => `Basic ${Buffer.from(`${t.clientId}:${t.clientSecret}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

export const SCENARIOS: Record<string, (t: Target) => Options> = {
  discovery: (t) => ({ url: `${t.url}/.well-known/openid-configuration` }),
  jwks: (t) => ({ url: `${t.url}/jwks` }),
  client_credentials: (t) => ({
    url: `${t.url}/token`, method: 'POST',
    headers: { authorization: basic(t), 'content-type': FORM },
    body: form({ grant_type: 'client_credentials', resource: t.resource, scope: 'read' }),
  }),
  introspection: (t) => ({
    url: `${t.url}/token/introspection`, method: 'POST',
    headers: { authorization: basic(t), 'content-type': FORM },
    body: form({ token: t.tokens[0]!.access_token }),
  }),
  userinfo: (t) => ({ url: `${t.url}/me`, headers: { authorization: `Bearer ${t.tokens[0]!.access_token}` } }),
  // Each connection walks its own rotation chain: the refresh token of every
  // response is the one presented next.
  refresh_rotation: (t) => {
    let next = 0;
    return {
      url: `${t.url}/token`,
      connections: t.tokens.length,
      initialContext: {},
      requests: [{
        method: 'POST',
        setupRequest: (req: Record<string, unknown>, ctx: Record<string, string>) => {
          ctx.rt ??= t.tokens[next++ % t.tokens.length]!.refresh_token;
          return { ...req, headers: { authorization: basic(t), 'content-type': FORM }, body: form({ grant_type: 'refresh_token', refresh_token: ctx.rt }) };
        },
        onResponse: (status: number, body: string, ctx: Record<string, string>) => {
          if (status === 200) ctx.rt = JSON.parse(body).refresh_token;
        },
      }],
    } as unknown as Options;
  },
};
