// Device Authorization Grant (RFC 8628) for command-line tools and TVs: the
// pages a person sees at the verification URI, in Gatehouse's own look
// (views/device-*.ejs). oidc-provider generates the forms (with its xsrf
// field); only their markup is adjusted, through provider-seam.ts.
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Render } from '../http/views.js';
import type { I18n } from '../i18n/i18n.js';
import { chooseLanguage } from '../http/locale.js';
import { adjustUserCodeInput, deviceCodeError } from './provider-seam.js';

type DeviceFlow = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>;

// The library's input carries an inline onfocus handler, which the CSP
// (src/http/security-headers.ts) refuses; it also has no id for a <label>.
export function userCodeInput(form: string, invalid = false): string {
  const described = invalid ? 'aria-invalid="true" aria-describedby="device-error user-code-hint"' : 'aria-describedby="user-code-hint"';
  return adjustUserCodeInput(form, `id="user-code" autocapitalize="characters" spellcheck="false" ${described}`);
}

/** What to tell the person after a failed attempt (a catalogue key, locales device.errors.*). */
function errorMessage(err: Error | undefined): string | null {
  if (!err) return null;
  switch (deviceCodeError(err)) {
    case 'no-code': return 'device.errors.noCode';
    case 'not-found': return 'device.errors.notFound';
    case 'expired': return 'device.errors.expired';
    case 'already-used': return 'device.errors.used';
    case 'aborted': return 'device.errors.aborted';
    default: return 'device.errors.other';
  }
}

const html = async (ctx: KoaContextWithOIDC, body: Promise<string>) => {
  ctx.type = 'html';
  ctx.body = await body;
};

export function deviceFlowFeature(render: Render, i18n: I18n): DeviceFlow {
  // The verification pages follow the request's ui_locales, then Accept-Language.
  const lang = (ctx: KoaContextWithOIDC) => chooseLanguage(i18n, ctx, ctx.oidc?.params?.ui_locales);
  return {
    enabled: true,
    // RFC 8628 §6.1: base-20 letters without vowels, 8 characters (~34 bits),
    // shown as XXXX-XXXX; with the rate limits on /device this is ample.
    charset: 'base-20',
    mask: '****-****',
    userCodeInputSource: (ctx, form, _out, err) =>
      html(ctx, render('device-code', { lang: lang(ctx), formHtml: userCodeInput(form, Boolean(err)), error: errorMessage(err) })),
    userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) =>
      html(ctx, render('device-confirm', {
        lang: lang(ctx), formHtml: form, userCode, clientName: client.clientName ?? client.clientId,
      })),
    successSource: (ctx) =>
      html(ctx, render('device-success', { lang: lang(ctx), clientName: ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? null })),
  };
}
