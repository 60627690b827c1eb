// Sends malformed requests to every public endpoint and asserts Gatehouse
// always answers in its protocol's format: no 5xx, no stack traces. Seeded,
// so a failure can be replayed (FUZZ_SEED=<n>).
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../helpers/fixture.js';
import { LoginForm } from '../helpers/login-form.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 150);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  '', ' ', '\u0000', '%00', '%', '%zz', '\uffff', '\ud800', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --",
  'a'.repeat(10_000), '{"a":', '[]', 'null', '-1', '1e309', 'true', 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c', 'Basic', 'Bearer ',
  'DPoP x', 'urn:ietf:params:oauth:grant-type:token-exchange', 'authorization_code', 'refresh_token', 'client_credentials',
  'openid', 'http://127.0.0.1:1/cb', 'javascript:alert(1)', '😀', '\r\nX-Injected: 1',
];
const PARAMS = ['client_id', 'client_secret', 'grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'scope',
  'token', 'token_type_hint', 'response_type', 'state', 'nonce', 'prompt', 'max_age', 'request_uri', 'request', 'resource',
  'subject_token', 'subject_token_type', 'actor_token', 'audience', 'client_assertion', 'client_assertion_type', 'code_challenge', 'id_token_hint'];
const PATHS = ['/auth', '/token', '/token/introspection', '/token/revocation', '/me', '/request', '/session/end',
  '/session/end/confirm', '/interaction/abc', '/interaction/abc/login', '/interaction/abc/confirm',
  '/interaction/abc/mfa', '/interaction/abc/mfa/totp', '/interaction/abc/mfa/recovery', '/interaction/abc/mfa/enrol/totp', '/interaction/abc/mfa/finish', '/jwks', '/admin/api/clients', '/admin/api/users'];

// encodeURIComponent throws on lone surrogates; the fuzzer wants the bytes anyway.
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));

describe('protocol fuzzing', () => {
  // Lockouts would turn most probes into 429s: raise the limits so requests reach the handlers.
  const server = useServer({ backend: 'postgres', env: { TRUST_PROXY: 'true', PROTOCOL_MAX_FAILURES_PER_IP: '1000000', LOGIN_MAX_FAILURES_PER_IP: '1000000' } });
  let clientId: string;
  beforeAll(async () => {
    clientId = (await server.services.stores.clients.create({ name: 'fuzz', redirectUris: ['http://127.0.0.1:1/cb'] })).clientId;
  });

  it('answers malformed login form values with the login page, never 5xx', async () => {
    const r = rng(SEED);
    const form = new LoginForm(server.issuer, clientId, 'http://127.0.0.1:1/cb');
    await form.open();
    for (let i = 0; i < 40; i++) {
      const pick = () => NASTY[Math.floor(r() * NASTY.length)]!;
      const res = await form.submit(pick() + (r() < 0.5 ? '@example.com' : ''), pick());
      expect([200, 413, 429], `${res.status} ${res.alert}`).toContain(res.status); // 413: over the form size limit
    }
  });

  it.each(PATHS)(`answers malformed requests to %s without 5xx or stack traces (seed ${SEED})`, async (path) => {
    const r = rng(SEED + path.length * 7919);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    for (let i = 0; i < ROUNDS; i++) {
      const params = new URLSearchParams();
      for (let n = Math.floor(r() * 6); n > 0; n--) params.append(pick(PARAMS), pick(NASTY));
      const method = pick(['GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
      const kind = pick(['form', 'json', 'text', 'binary', 'none']);
      const headers: Record<string, string> = {};
      if (r() < 0.4) headers.authorization = pick(['Basic !!!', 'Basic ' + Buffer.from(`${pick(NASTY)}:${pick(NASTY)}`).toString('base64'), 'Bearer ' + pick(NASTY).replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, ''), 'DPoP abc', 'Negotiate x']);
      if (r() < 0.2) headers.dpop = 'not-a-jwt';
      if (r() < 0.2) headers['x-ssl-client-cert'] = enc(pick(NASTY));
      if (r() < 0.2) headers.cookie = `_session=${enc(pick(NASTY))}; _interaction=x`;
      let body: BodyInit | undefined;
      if (method !== 'GET' && method !== 'OPTIONS' && kind !== 'none') {
        headers['content-type'] = { form: 'application/x-www-form-urlencoded', json: 'application/json', text: 'text/plain', binary: 'application/octet-stream' }[kind]!;
        body = kind === 'json' ? (r() < 0.5 ? '{"broken": ' : JSON.stringify(Object.fromEntries(params))) : kind === 'binary' ? new Uint8Array(Array.from({ length: 64 }, () => Math.floor(r() * 256))) : params.toString();
      }
      const url = `${server.issuer}${path}${method === 'GET' || r() < 0.3 ? `?${params}` : ''}`;
      const res = await fetch(url, { method, headers, body, redirect: 'manual' });
      const text = await res.text();
      const where = `${method} ${url.slice(0, 200)} [${kind}] -> ${res.status}: ${text.slice(0, 200)}`;
      expect(res.status, where).toBeLessThan(500);
      expect(text, where).not.toMatch(/\n\s+at .+[(/].*:\d+:\d+/);
      expect(text, where).not.toMatch(/node_modules|TypeError|ReferenceError|PrismaClient/);
    }
  });
});
