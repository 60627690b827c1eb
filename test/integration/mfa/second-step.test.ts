// Rules of the second step over HTTP: the pending state's cookie (sealed,
// path-scoped, HttpOnly, SameSite=Lax) is the only source of who is signing
// in; forms need their CSRF token; enrolment is only for users without a
// factor; recovery codes share the TOTP lock; and the events say what
// happened without ever holding a code.
import { beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { useServer } from '../../helpers/fixture.js';
import { createUser, createWebClient } from '../../helpers/builders.js';
import { SignInWalker } from '../../helpers/mfa-http.js';
import { ACR_MFA } from '../../../src/mfa/mfa-policy.js';

const REDIRECT = 'https://rp.example/cb';
const codeAt = (secret: string, ms: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

describe('the second step of sign-in', () => {
  const server = useServer({ backend: 'embedded' });
  let clientId: string;
  let n = 0;

  async function user(withTotp: boolean) {
    const u = await createUser(server, { email: `user${++n}@example.com`, password: 'correct horse battery staple' });
    if (!withTotp) return { ...u, secret: '' };
    const { factors, recoveryCodes } = server.services.stores;
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    const f = await factors.addTotp(u.id, 'phone', secret);
    await factors.acceptTotpStep(u.id, f.id, 1);
    await recoveryCodes.replace(u.id, ['aaaaa-bbbbb', 'ccccc-ddddd']);
    return { ...u, secret };
  }
  async function afterPassword(u: { email: string; password: string }, extra: Record<string, string> = {}) {
    const w = new SignInWalker(server.issuer, clientId, REDIRECT);
    await w.start(extra);
    const html = w.last!.html;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const action = /action="([^"]*\/login)"/.exec(html)![1]!;
    const res = await fetch(new URL(action, server.issuer), {
      method: 'POST', redirect: 'manual',
      headers: { cookie: w.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, email: u.email, password: u.password }),
    });
    w.jar.store(res);
    const uid = /\/interaction\/([\w-]+)\/login/.exec(action)![1]!;
    return { w, res, uid, location: res.headers.get('location') };
  }

  beforeAll(async () => {
    clientId = (await createWebClient(server, REDIRECT, { firstParty: true })).clientId;
  });

  it('keeps the pending state in a sealed HttpOnly SameSite=Lax cookie scoped to the interaction', async () => {
    const u = await user(true);
    const { res, uid, location } = await afterPassword(u);
    expect(res.status).toBe(303);
    expect(location).toBe(`/interaction/${uid}/mfa`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gatehouse.mfa='))!;
    expect(cookie).toContain(`path=/interaction/${uid}`);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');
    // Sealed: neither the account id nor anything readable is in it.
    expect(cookie).not.toContain(u.id);
    expect(cookie.split(';')[0]).toMatch(/^gatehouse\.mfa=v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses a missing or tampered pending state, and a form without its CSRF token', async () => {
    const u = await user(true);
    const { w, uid } = await afterPassword(u);
    const url = `${server.issuer}/interaction/${uid}/mfa`;
    const jar = w.jar.header();
    const without = await fetch(url, { headers: { cookie: jar.replace(/gatehouse\.mfa=[^;]+/, 'gatehouse.mfa=') } });
    expect(without.status).toBe(400);
    expect(await without.text()).toMatch(/expired/);
    const tampered = await fetch(url, { headers: { cookie: jar.replace(/(gatehouse\.mfa=[^;]+)[\w-]{2}/, '$1AA') } });
    expect(tampered.status).toBe(400);
    const ok = await fetch(url, { headers: { cookie: jar } });
    expect(ok.status).toBe(200);
    const noCsrf = await fetch(`${url}/totp`, {
      method: 'POST', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: codeAt(u.secret, Date.now()) }),
    });
    expect(noCsrf.status).toBe(403);
  });

  it('does not offer enrolment to a user who has a factor, nor finish without one', async () => {
    const u = await user(true);
    const { w, uid } = await afterPassword(u);
    const enrol = await fetch(`${server.issuer}/interaction/${uid}/mfa/enrol`, { redirect: 'manual', headers: { cookie: w.jar.header() } });
    expect(enrol.status).toBe(302);
    expect(enrol.headers.get('location')).toBe(`/interaction/${uid}/mfa`);
    const page = await fetch(`${server.issuer}/interaction/${uid}/mfa`, { headers: { cookie: w.jar.header() } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const finish = await fetch(`${server.issuer}/interaction/${uid}/mfa/finish`, {
      method: 'POST', redirect: 'manual', headers: { cookie: w.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(finish.headers.get('location')).toBe(`/interaction/${uid}/mfa`);
    expect((await server.services.stores.factors.list(u.id, { pending: true })).length).toBe(1);
  });

  it('sends a user an admin required MFA for, and acr_values asking MFA, to enrolment', async () => {
    const required = await user(false);
    await server.services.stores.users.setMfaRequired(required.id, true);
    expect((await afterPassword(required)).location).toMatch(/\/mfa\/enrol$/);
    const asking = await user(false);
    expect((await afterPassword(asking, { acr_values: ACR_MFA })).location).toMatch(/\/mfa\/enrol$/);
    const neither = await user(false);
    expect((await afterPassword(neither)).location).toMatch(/^http.*\/auth\//);
  });

  it('locks recovery codes and TOTP together, and audits without codes', async () => {
    const u = await user(true);
    const { w, location } = await afterPassword(u);
    await w.open(location!);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await w.submit('/mfa/recovery', { code: `wrong-${i}0000` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const correct = await w.submit('/mfa/totp', { code: codeAt(u.secret, Date.now()) });
    expect(correct.status).toBe(429);
    expect(Number(correct.retryAfter)).toBeGreaterThan(0);
    const recoveryCorrect = await w.submit('/mfa/recovery', { code: 'aaaaa-bbbbb' });
    expect(recoveryCorrect.status).toBe(429);

    const mine = <T extends { subject: string | null }>(rows: T[]) => rows.filter((r) => r.subject === u.id);
    const recovery = mine(await server.services.stores.auditLog.list('mfa.recovery.verify'));
    expect(recovery.map((e) => e.outcome)).toEqual(['denied', 'failure', 'failure', 'failure', 'failure', 'failure']);
    expect(recovery[0]!.details).toMatchObject({ reason: 'locked', remaining: 2 });
    const totp = mine(await server.services.stores.auditLog.list('mfa.totp.verify'));
    expect(totp.map((e) => e.outcome)).toEqual(['denied']);
    expect(JSON.stringify([...recovery, ...totp].map((e) => e.details))).not.toMatch(/wrong-|aaaaa|\b\d{6}\b/);
    expect(await server.services.stores.recoveryCodes.remaining(u.id)).toBe(2);
  });
});
