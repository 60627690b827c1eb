// /account/sessions and /account/apps: the user's SSO sessions (revoke one,
// or all others) and connected apps ("Remove access"). Changes need a recent
// sign-in; session-changes.ts does the work and the auditing.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { describeScopes } from '../interaction/scope-descriptions.js';
import type { SectionKit, SelfServiceDeps } from './self-service-pages.js';
import { noticeText } from './section-kit.js';

const SESSION_NOTICES = ['revoked', 'others_revoked'] as const;
const APP_NOTICES = ['removed'] as const;
const when = (d: Date | null, lang: string) =>
  d ? { iso: d.toISOString(), text: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d) + ' UTC' } : null;

export function addSessionPages(router: Router, deps: SelfServiceDeps, kit: SectionKit): void {
  const { sessions } = deps;
  const notFound = (ctx: Context, ns: 'sessions' | 'apps') => {
    const t = kit.t(ctx);
    return kit.page(ctx, 'message', {
      title: t(`account.${ns}.not_found.title`), text: t(`account.${ns}.not_found.text`), link: { href: `/account/${ns}`, label: t(`account.${ns}.back`) },
    }, 404);
  };

  router.get('/sessions', ...kit.guard, async (ctx) => {
    const t = kit.t(ctx);
    const lang = kit.lang(ctx);
    const list = await sessions.sessions(kit.state(ctx).userId, await deps.currentSession(ctx));
    await kit.page(ctx, 'sessions', {
      title: t('account.sessions.title'), notice: noticeText(t, 'sessions', SESSION_NOTICES, ctx.query.notice),
      sessions: list.map((s) => ({ uid: s.uid, current: s.current, apps: s.clientNames, started: when(s.loginAt ?? s.createdAt, lang), expires: when(s.expiresAt, lang) })),
    });
  });

  router.post('/sessions/others/revoke', ...kit.guard, kit.recent, async (ctx) => {
    await sessions.endOthers(kit.self(ctx), await deps.currentSession(ctx), { audit: true });
    kit.done(ctx, '/account/sessions', 'others_revoked');
  });

  router.post('/sessions/:uid/revoke', ...kit.guard, kit.recent, async (ctx) => {
    if (!(await sessions.revoke(kit.self(ctx), ctx.params.uid!))) return notFound(ctx, 'sessions');
    kit.done(ctx, '/account/sessions', 'revoked');
  });

  router.get('/apps', ...kit.guard, async (ctx) => {
    const t = kit.t(ctx);
    const apps = await sessions.apps(kit.state(ctx).userId);
    await kit.page(ctx, 'apps', {
      title: t('account.apps.title'), notice: noticeText(t, 'apps', APP_NOTICES, ctx.query.notice),
      apps: apps.map((a) => ({
        clientId: a.clientId, name: a.name,
        scopes: describeScopes(a.scopes).map((s) => t(`account.apps.scopes.${s.name}`, { defaultValue: s.description })),
      })),
    });
  });

  router.post('/apps/:clientId/remove', ...kit.guard, kit.recent, async (ctx) => {
    if (!(await sessions.removeApp(kit.self(ctx), ctx.params.clientId!))) return notFound(ctx, 'apps');
    kit.done(ctx, '/account/apps', 'removed');
  });
}
