// Device Authorization Grant (RFC 8628) for command-line tools and TVs: the
// pages a person sees at the verification URI, in Gatehouse's own look
// (views/device-*.ejs). oidc-provider generates the forms (with its xsrf
// field); only their markup is adjusted, through provider-seam.ts.
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Render } from '../http/views.js';
import { adjustUserCodeInput, deviceCodeError } from './provider-seam.js';

type DeviceFlow = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>;

// The library's input carries an inline onfocus handler, which the CSP
// (src/http/security-headers.ts) refuses; it also has no id for a <label>.
export function userCodeInput(form: string, invalid = false): string {
  const described = invalid ? 'aria-invalid="true" aria-describedby="device-error user-code-hint"' : 'aria-describedby="user-code-hint"';
  return adjustUserCodeInput(form, `id="user-code" autocapitalize="characters" spellcheck="false" ${described}`);
}

/** What to tell the person after a failed attempt. */
function errorMessage(err: Error | undefined): string | null {
  if (!err) return null;
  switch (deviceCodeError(err)) {
    case 'no-code': return 'Enter the code shown on your device.';
    case 'not-found': return 'That code is not valid. Check the code shown on your device and try again.';
    case 'expired': return 'That code has expired. Start again on your device to get a new code.';
    case 'already-used': return 'That code has already been used. Start again on your device to get a new code.';
    case 'aborted': return 'The sign-in was cancelled. Your device was not connected.';
    default: return 'The request could not be completed. Start again on your device.';
  }
}

const html = async (ctx: KoaContextWithOIDC, body: Promise<string>) => {
  ctx.type = 'html';
  ctx.body = await body;
};

export function deviceFlowFeature(render: Render): DeviceFlow {
  return {
    enabled: true,
    // RFC 8628 §6.1: base-20 letters without vowels, 8 characters (~34 bits),
    // shown as XXXX-XXXX; with the rate limits on /device this is ample.
    charset: 'base-20',
    mask: '****-****',
    userCodeInputSource: (ctx, form, _out, err) =>
      html(ctx, render('device-code', { title: 'Connect a device', formHtml: userCodeInput(form, Boolean(err)), error: errorMessage(err) })),
    userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) =>
      html(ctx, render('device-confirm', {
        title: 'Confirm your device', formHtml: form, userCode, clientName: client.clientName ?? client.clientId,
      })),
    successSource: (ctx) =>
      html(ctx, render('device-success', { title: 'Device connected', clientName: ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? null })),
  };
}
