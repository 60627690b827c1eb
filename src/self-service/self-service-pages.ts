// The one-message pages of the self-service flows (views/self-service-message.ejs),
// each a catalogue entry <key>.title / .heading / .message (locales/<lang>.json):
// what happened and what to do, in plain words.
import type { Context } from 'koa';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';

export interface PageDeps {
  render: Render;
  i18n: I18n;
}

export interface PageLink {
  href: string;
  /** Catalogue key of the link's label. */
  key: string;
}

export async function messagePage(
  deps: PageDeps, ctx: Context, status: number, key: string, opts: { link?: PageLink; alert?: boolean; icon?: 'check' | 'alert' } = {},
): Promise<void> {
  const lang = String(ctx.state.lang ?? 'en');
  const t = deps.i18n.t(lang);
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = await deps.render('self-service-message', {
    lang, title: t(`${key}.title`), heading: t(`${key}.heading`), message: t(`${key}.message`),
    alert: opts.alert ?? false, icon: opts.icon ?? null, detail: null,
    link: opts.link ? { href: opts.link.href, label: t(opts.link.key) } : null,
  });
}

/** SMTP unreachable or refusing: 503, nothing is lost (the account, if any, is kept). */
export async function mailUnavailable(deps: PageDeps, ctx: Context, link?: PageLink): Promise<void> {
  await messagePage(deps, ctx, 503, 'email.unavailable', { alert: true, icon: 'alert', ...(link ? { link } : {}) });
  ctx.set('Retry-After', '300');
}

/** Over a per-IP limit: 429 with Retry-After (RFC 6585 §4). */
export async function tooManyRequests(deps: PageDeps, ctx: Context, retryAfter: number): Promise<void> {
  await messagePage(deps, ctx, 429, 'email.too_many', { alert: true, icon: 'alert' });
  ctx.set('Retry-After', String(retryAfter));
}
