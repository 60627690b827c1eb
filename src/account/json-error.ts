// Errors of the account pages' JSON endpoints, in the OAuth-style shape the
// page script shows (public/js/passkey.js reads error_description).
import type { Context } from 'koa';

export function jsonError(ctx: Context, status: number, message: string, reason?: string): void {
  ctx.status = status;
  ctx.body = { error: 'account_refused', error_description: message, ...(reason ? { reason } : {}) };
}
