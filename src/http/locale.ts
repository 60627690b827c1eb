// Which language a page is shown in: the request's ui_locales (OpenID Connect
// Core §3.1.2.1, space-separated BCP 47 tags, in order of preference), then
// the browser's Accept-Language (RFC 9110 §12.5.4), then English. Routes that
// know the authorization request's ui_locales (the interaction pages) pass it.
import type { Context, Next } from 'koa';
import type { I18n } from '../i18n/i18n.js';

export function chooseLanguage(i18n: I18n, ctx: Context, uiLocales?: unknown): string {
  const requested = typeof uiLocales === 'string' ? uiLocales.split(' ').filter(Boolean) : [];
  return i18n.pick([...requested, ...ctx.acceptsLanguages()]);
}

/** Sets ctx.state.lang for every request (a ui_locales query parameter counts). */
export function localeMiddleware(i18n: I18n) {
  return async (ctx: Context, next: Next) => {
    ctx.state.lang = chooseLanguage(i18n, ctx, ctx.query.ui_locales);
    await next();
  };
}

/**
 * On /interaction/<uid>/... pages, the language of the authorization request
 * the interaction belongs to (its ui_locales, OIDC Core §3.1.2.1), so the
 * sign-in, second-factor and consent pages, and their error pages, all follow
 * it. `uiLocalesOf` reads the interaction (oidc-provider's Interaction.find);
 * an unknown uid keeps the choice above.
 */
export function interactionLocale(i18n: I18n, uiLocalesOf: (uid: string) => Promise<unknown>) {
  return async (ctx: Context, next: Next) => {
    const uid = /^\/interaction\/([\w-]{1,64})(?:\/|$)/.exec(ctx.path)?.[1];
    if (uid) {
      const requested = await uiLocalesOf(uid).catch(() => undefined);
      if (typeof requested === 'string' && requested) ctx.state.lang = chooseLanguage(i18n, ctx, requested);
    }
    await next();
  };
}
