// The HTTP side shared by the passkey endpoints (passkey-routes.ts,
// passkey-step-routes.ts): the ticket cookie, the JSON error shape, and the
// interaction with its CSRF header checked. The ticket cookie's path is the
// interaction's passkey path, so it is sent to these endpoints only; its
// content is sealed (passkey-challenge.ts) and names the interaction anyway.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Csrf } from '../interaction/csrf.js';
import { z } from 'zod';
import type { InteractionView } from './after-password.js';

const COOKIE = 'gatehouse.passkey';

/** What verify endpoints accept: the browser's PublicKeyCredential JSON (checked by the library), and a name when registering. */
export const verifyBody = z.object({
  response: z.object({ id: z.string().max(1024), response: z.object({}).passthrough() }).passthrough(),
  name: z.string().max(100).optional(),
});

/** The base path of one interaction's passkey endpoints (views link to it). */
export const passkeyPath = (uid: string) => `/interaction/${uid}/passkey`;
export const interactionBinding = (uid: string) => `interaction:${uid}`;

/**
 * Answers a JSON error in the OAuth shape the error handler also uses. A
 * passkey refusal also names its reason, which public/js/passkey.js shows
 * in the page's language (views/partials/passkey-messages.ejs).
 */
export function fail(ctx: Context, status: number, message: string, error = 'passkey_refused', reason?: string): void {
  ctx.status = status;
  ctx.body = { error, error_description: message, ...(reason ? { reason } : {}) };
}

export function keepTicket(ctx: Context, ticket: string, ttlSeconds: number): void {
  ctx.cookies.set(COOKIE, ticket, {
    httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: passkeyPath(ctx.params.uid!),
    maxAge: ttlSeconds * 1000, overwrite: true, signed: false,
  });
}

/** Read once, then cleared: a ticket serves one verification. */
export function takeTicket(ctx: Context): string | undefined {
  const ticket = ctx.cookies.get(COOKIE, { signed: false });
  ctx.cookies.set(COOKIE, '', { path: passkeyPath(ctx.params.uid!), maxAge: 0, overwrite: true, signed: false });
  return ticket;
}

/**
 * The interaction of this URL at its login prompt, with the page's CSRF token
 * in the X-CSRF-Token header (interaction/csrf.ts); null after answering an error.
 */
export async function loadInteraction(provider: Provider, csrf: Csrf, ctx: Context): Promise<InteractionView | null> {
  const d = (await provider.interactionDetails(ctx.req, ctx.res).catch(() => null)) as InteractionView | null;
  if (!d || d.uid !== ctx.params.uid) {
    fail(ctx, 400, 'This sign-in link has expired. Please return to the application and try again.', 'invalid_request');
    return null;
  }
  if (!csrf.verify(d.uid, ctx.get('x-csrf-token'))) {
    fail(ctx, 403, 'This page has expired. Please reload it and try again.', 'invalid_request', 'pageExpired');
    return null;
  }
  if (d.prompt.name !== 'login') {
    fail(ctx, 400, 'Sign-in is not expected at this step.', 'invalid_request');
    return null;
  }
  return d;
}
