// Refresh-token rotation against a listening server, on both backends:
// rotation chains, reuse detection, the grace window under concurrency,
// lifetimes under a controllable clock, client binding.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKENDS, createTestStore, type TestStore } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { httpAuthorize } from '../../helpers/http-login.js';
import { exchangeCode, introspect, refresh, type TestClient } from '../../helpers/token-client.js';

const REDIRECT = 'https://rp.example/cb';
const USER = { email: 'rt@example.com', password: 'refresh-me-please' };

async function setup(backend: (typeof BACKENDS)[number], grace: number) {
  const store = await createTestStore(backend);
  const server = await startTestServer({ ...store.env, REFRESH_REUSE_GRACE_SECONDS: String(grace) });
  await server.services.stores.users.create(USER);
  const mk = async (extra?: Record<string, unknown>): Promise<TestClient> => {
    const c = await server.services.stores.clients.create({
      name: 'RT app', redirectUris: [REDIRECT], scope: 'openid offline_access', extra,
    });
    return { clientId: c.clientId, clientSecret: c.clientSecret! };
  };
  /** Logs the user in over HTTP and returns a fresh refresh-token family. */
  const family = async (c: TestClient) => {
    const { callback, verifier } = await httpAuthorize({
      issuer: server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER,
      scope: 'openid offline_access', extra: { prompt: 'consent' },
    });
    const { result } = await exchangeCode(server.issuer, c, REDIRECT, callback, verifier);
    expect(result.refresh_token).toBeTruthy();
    return result as { access_token: string; refresh_token: string };
  };
  return { store, server, mk, family };
}

describe.each(BACKENDS)('refresh-token rotation on %s', (backend) => {
  let strict: Awaited<ReturnType<typeof setup>>; // grace 0
  let lenient: Awaited<ReturnType<typeof setup>>; // grace 3 s
  beforeAll(async () => {
    strict = await setup(backend, 0);
    lenient = await setup(backend, 3);
  });
  afterAll(async () => {
    for (const s of [strict, lenient]) {
      await s?.server.stop();
      await s?.store.dispose();
    }
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rotates through a chain of 20 refreshes, each token used once, no-store responses', async () => {
    const c = await strict.mk();
    let { refresh_token: rt } = await strict.family(c);
    const seen = new Set([rt]);
    for (let i = 0; i < 20; i++) {
      const r = await refresh(strict.server.issuer, c, rt);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toContain('no-store');
      rt = r.json.refresh_token as string;
      expect(seen.has(rt)).toBe(false);
      seen.add(rt);
    }
    expect(await introspect(strict.server.issuer, c, rt)).toMatchObject({ active: true, client_id: c.clientId });
  });

  it('revokes the whole family when an old token is replayed after the grace window', async () => {
    const c = await lenient.mk();
    const first = await lenient.family(c);
    const second = await refresh(lenient.server.issuer, c, first.refresh_token);
    const third = await refresh(lenient.server.issuer, c, second.json.refresh_token as string);
    expect(third.status).toBe(200);
    const newest = third.json as { access_token: string; refresh_token: string };
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 4_000); // past the 3 s window
    const replay = await refresh(lenient.server.issuer, c, first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    expect(await introspect(lenient.server.issuer, c, newest.refresh_token)).toEqual({ active: false });
    expect(await introspect(lenient.server.issuer, c, newest.access_token)).toEqual({ active: false });
    await lenient.server.services.stores.events.drain();
    const events = await lenient.server.services.stores.auditLog.list('refresh_token.reuse');
    expect(events[0]).toMatchObject({ outcome: 'revoked', clientId: c.clientId });
  });

  it('lets 32 concurrent refreshes of one token inside the grace window succeed with a consistent family', async () => {
    const c = await lenient.mk();
    const { refresh_token: rt } = await lenient.family(c);
    const results = await Promise.all(Array.from({ length: 32 }, () => refresh(lenient.server.issuer, c, rt)));
    for (const r of results) {
      expect([200, 400]).toContain(r.status);
      if (r.status === 400) expect(r.json.error).toBe('invalid_grant');
    }
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBe(32);
    // Every token handed out belongs to the same live family and keeps working.
    const tokens = new Set(ok.map((r) => r.json.refresh_token as string));
    expect(tokens.size).toBe(32);
    for (const t of [...tokens].slice(0, 4)) {
      expect(await introspect(lenient.server.issuer, c, t)).toMatchObject({ active: true });
    }
    const next = await refresh(lenient.server.issuer, c, [...tokens][31]!);
    expect(next.status).toBe(200);
  });

  it('with no grace window, 32 concurrent refreshes give exactly one winner and revoke the family', async () => {
    const c = await strict.mk();
    const { refresh_token: rt } = await strict.family(c);
    const results = await Promise.all(Array.from({ length: 32 }, () => refresh(strict.server.issuer, c, rt)));
    expect(results.every((r) => r.status === 200 || (r.status === 400 && r.json.error === 'invalid_grant'))).toBe(true);
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const w = winners[0]!.json as { access_token: string; refresh_token: string };
    expect(await introspect(strict.server.issuer, c, w.refresh_token)).toEqual({ active: false });
    expect(await introspect(strict.server.issuer, c, w.access_token)).toEqual({ active: false });
    expect((await refresh(strict.server.issuer, c, w.refresh_token)).status).toBe(400);
  });

  it('enforces idle and absolute lifetimes per client with a controllable clock', async () => {
    const c = await strict.mk({ refresh_token_idle_ttl: 60, refresh_token_absolute_ttl: 150 });
    let { refresh_token: rt } = await strict.family(c);
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    // Sliding: refreshing every 50 s keeps the family alive...
    for (const t of [50, 100]) {
      vi.setSystemTime(t0 + t * 1000);
      const r = await refresh(strict.server.issuer, c, rt);
      expect(r.status).toBe(200);
      rt = r.json.refresh_token as string;
    }
    // ...but not past the absolute end (t0 + 150 s), although idle allows 60 s.
    vi.setSystemTime(t0 + 151_000);
    const late = await refresh(strict.server.issuer, c, rt);
    expect(late).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    // Idle: a family left unused for longer than 60 s expires.
    vi.setSystemTime(t0);
    const idle = await strict.family(c);
    vi.setSystemTime(t0 + 61_000);
    expect((await refresh(strict.server.issuer, c, idle.refresh_token)).status).toBe(400);
  });

  it('binds a refresh token to its client', async () => {
    const a = await strict.mk();
    const b = await strict.mk();
    const { refresh_token: rt } = await strict.family(a);
    const stolen = await refresh(strict.server.issuer, b, rt);
    expect(stolen).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await refresh(strict.server.issuer, a, rt)).status).toBe(200);
  });

  it('issues no refresh token without offline_access', async () => {
    const c = await strict.mk();
    const { callback, verifier } = await httpAuthorize({ issuer: strict.server.issuer, clientId: c.clientId, redirectUri: REDIRECT, ...USER });
    const { result } = await exchangeCode(strict.server.issuer, c, REDIRECT, callback, verifier);
    expect(result.refresh_token).toBeUndefined();
  });
});
