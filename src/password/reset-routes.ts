// The link from the mail: GET /password/reset?token=… shows the form (the
// link is not spent: mail scanners and previews open links), POST sets the
// password (reset-service.ts complete()). A used, expired or forged link gets
// a plain page that says so and leads to a new one. Thin.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { passwordProblemMessage } from '../users/password-policy.js';
import { passwordForms, takeSignIn } from './form-token.js';
import type { PasswordPageDeps, Page } from './password-routes.js';

const tokenOf = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : '');

export function addResetRoutes(router: Router, deps: PasswordPageDeps, page: Page, body: Middleware): void {
  const { csrf, reset } = deps;
  const forms = passwordForms(csrf);

  const expired = (ctx: Context, lang: string) => {
    const t = deps.i18n.t(lang);
    return page(ctx, 'password/message', {
      lang, title: t('reset.expired.title'), text: t('reset.expired.text'), alert: true, link: { href: '/password/forgot', label: t('reset.expired.link') },
    }, 400);
  };
  const form = (ctx: Context, lang: string, token: string, error: string | null) =>
    page(ctx, 'password/reset', { lang, token, error, csrfToken: forms.token(ctx), action: '/password/reset', minLength: deps.policy.minLength }, error ? 400 : 200);

  // A still-open sign-in this reset started from (forgot-routes.ts remembers its uid).
  async function signInToResume(ctx: Context): Promise<string | null> {
    const uid = takeSignIn(ctx);
    if (!uid) return null;
    const interaction = await deps.provider.Interaction.find(uid).catch(() => undefined);
    return interaction ? `/interaction/${uid}` : null;
  }

  router.get('/password/reset', async (ctx) => {
    const lang = ctx.state.lang as string;
    const token = tokenOf(ctx.query.token);
    if (!(await reset.valid(token))) return expired(ctx, lang);
    await form(ctx, lang, token, null);
  });

  router.post('/password/reset', body, async (ctx) => {
    const lang = ctx.state.lang as string;
    if (!forms.verify(ctx)) ctx.throw(403, 'This form has expired. Please go back and try again.');
    const fields = (ctx.request.body ?? {}) as Record<string, unknown>;
    const token = tokenOf(fields.token);
    const password = typeof fields.password === 'string' ? fields.password : '';
    const outcome = await reset.complete(token, password, ctx.ip, lang);
    const t = deps.i18n.t(lang);
    if (outcome.result === 'invalid') return expired(ctx, lang);
    if (outcome.result === 'refused') return form(ctx, lang, token, passwordProblemMessage(t, outcome.problem, deps.policy.minLength));
    const resume = await signInToResume(ctx);
    await page(ctx, 'password/message', {
      lang, title: t('reset.done.title'), text: t(resume ? 'reset.done.text-resume' : 'reset.done.text'), alert: false, success: true,
      link: resume ? { href: resume, label: t('reset.done.link') } : null,
    });
  });
}
