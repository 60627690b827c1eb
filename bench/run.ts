// Benchmark: Gatehouse on PostgreSQL vs a bare in-memory oidc-provider with
// the same keys, algorithms and clients, measured in the same run. Writes
// docs/benchmarks.md and docs/benchmarks.svg. Usage: npm run bench
// (BENCH_SECONDS per scenario, default 5; TEST_PG_URL as for the tests).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createTestStore } from '../test/helpers/databases.js';
import { freePort } from '../test/helpers/server.js';
import { httpAuthorize } from '../test/helpers/http-login.js';
import { exchangeCode } from '../test/helpers/token-client.js';
import { loadConfig } from '../src/config.js';
import { compose } from '../src/main.js';
import { createLogger } from '../src/http/logger.js';
import { SCENARIOS, refreshChains, type Target } from './scenarios.js';
import { loginFlows } from './login-flows.js';
import { writeReport, type Row } from './report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CHAINS = 10;
const REDIRECT = 'https://rp.bench/cb';
const USER = { email: 'bench@example.com', password: 'benchmark-password' };

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function measure(opts: autocannon.Options) {
  const r = await autocannon({ connections: 10, duration: SECONDS, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}

async function main() {
  const store = await createTestStore('postgres');
  if (process.env.BENCH_ASYNC_COMMIT) {
    // Experiment only (docs/benchmarks.md): what commit latency costs. Not a default.
    const admin = new pg.Client({ connectionString: store.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(store.env.DATABASE_URL!).pathname.slice(1)} SET synchronous_commit = off`);
    await admin.end();
  }
  const children: ChildProcess[] = [];
  try {
    const [gPort, bPort] = [await freePort(), await freePort()];
    const env = { ...store.env, PORT: String(gPort), ISSUER: `http://127.0.0.1:${gPort}`, LOG_LEVEL: 'warn', PROTOCOL_MAX_FAILURES_PER_IP: '1000000' };
    const s = await compose(loadConfig(env), createLogger('warn'));
    await s.stores.users.create(USER);
    const resource = 'https://api.bench/';
    await s.stores.resources.create({ indicator: resource, name: 'API', scopes: ['read'], accessTokenTtl: 600 });
    const c = await s.stores.clients.create({ name: 'bench', redirectUris: [REDIRECT], grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'], scope: 'openid offline_access' });
    const jwks = (await s.stores.keys.ensureKeys()).filter((k) => !k.key_ops);
    await s.db.close();

    // BENCH_PROFILE=dir: V8 CPU profile of the Gatehouse process (see bench/profile-summary.ts).
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const gatehouse = spawn(process.execPath, [...profile, 'bin/gatehouse.js', 'serve'], { env: { ...process.env, ...env }, stdio: 'inherit' });
    children.push(gatehouse);
    const fixture = join(mkdtempSync(join(tmpdir(), 'bench-')), 'fixture.json');
    const clientMeta = { client_id: c.clientId, client_secret: c.clientSecret, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], response_types: ['code'] };
    writeFileSync(fixture, JSON.stringify({ issuer: `http://127.0.0.1:${bPort}`, port: bPort, jwks, clients: [clientMeta], resource }));
    const baseline = fork('bench/baseline-server.ts', [fixture], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    children.push(baseline);
    await Promise.all([waitFor(`${env.ISSUER}/healthz`), waitFor(`http://127.0.0.1:${bPort}/jwks`)]);

    const gTokens = [];
    for (let i = 0; i < CHAINS; i++) {
      const { callback, verifier } = await httpAuthorize({ issuer: env.ISSUER, clientId: c.clientId, redirectUri: REDIRECT, ...USER, scope: 'openid offline_access', extra: { prompt: 'consent' } });
      const { result } = await exchangeCode(env.ISSUER, { clientId: c.clientId, clientSecret: c.clientSecret! }, REDIRECT, callback, verifier);
      gTokens.push({ access_token: result.access_token, refresh_token: result.refresh_token! });
    }
    const bTokens = await new Promise<Target['tokens']>((resolve) => {
      baseline.on('message', (m: { tokens?: Target['tokens'] }) => m.tokens && resolve(m.tokens));
      baseline.send({ mint: CHAINS });
    });
    const targets = {
      gatehouse: { url: env.ISSUER, clientId: c.clientId, clientSecret: c.clientSecret!, resource, tokens: gTokens },
      baseline: { url: `http://127.0.0.1:${bPort}`, clientId: c.clientId, clientSecret: c.clientSecret!, resource, tokens: bTokens },
    };
    const rows: Row[] = [];
    const only = process.env.BENCH_ONLY?.split(',');
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (only && !only.includes(name)) continue;
      const g = await measure(scenario(targets.gatehouse));
      const b = await measure(scenario(targets.baseline));
      rows.push({ name, g, b });
      console.log(name, JSON.stringify({ gatehouse: g, baseline: b }));
    }
    if (only && !only.includes('refresh_rotation')) {
      if (!only.includes('login_flows')) return;
    }
    const rg = await refreshChains(targets.gatehouse, SECONDS);
    const rb = await refreshChains(targets.baseline, SECONDS);
    rows.push({ name: 'refresh_rotation', g: rg, b: rb });
    console.log('refresh_rotation', JSON.stringify({ gatehouse: rg, baseline: rb }));
    const logins = await loginFlows({ issuer: env.ISSUER, clientId: c.clientId, redirectUri: REDIRECT, ...USER }, SECONDS);
    rows.push({ name: 'login_flows', g: logins, b: null });
    console.log('login_flows', JSON.stringify(logins));
    writeReport(rows, { cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`, memory: `${Math.round(totalmem() / 2 ** 30)} GiB`, node: process.version, seconds: SECONDS });
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await store.dispose();
  }
}

await main();
