// Benchmark scenarios: each returns autocannon options for a target server.
import type autocannon from 'autocannon';
import { runWorkers } from './workers.js';

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
};

/** Refresh rotation: each worker walks its own chain (the token of each response is presented next). */
export function refreshChains(t: Target, seconds: number) {
  const workers = t.tokens.map((tok) => ({ rt: tok.refresh_token }));
  return runWorkers(workers, seconds, async (w) => {
    const res = await fetch(`${t.url}/token`, {
      method: 'POST', headers: { authorization: basic(t), 'content-type': FORM },
      body: form({ grant_type: 'refresh_token', refresh_token: w.rt }),
    });
    if (res.status !== 200) return false;
    w.rt = ((await res.json()) as { refresh_token: string }).refresh_token;
    return true;
  });
}
