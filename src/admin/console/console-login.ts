// Console sign-in: the console is one of Gatehouse's own clients, signing in
// with the code flow of self-client/code-flow.ts, max_age 12 hours.
import type { Context } from 'koa';
import type { TokenVerifier } from '../../self-client/token-verifier.js';
import { finishCodeFlow, safePathUnder, startCodeFlow, type SelfClient } from '../../self-client/code-flow.js';
import { CONSOLE_CLIENT_ID, consoleUrls } from '../admin-setup.js';
import { CONSOLE_MAX_AGE, type ConsoleSessions } from './console-session.js';

export { isLoginFailed } from '../../self-client/code-flow.js';

export interface ConsoleLoginDeps {
  issuer: string;
  clientSecret: string;
  sessions: ConsoleSessions;
  verifier: TokenVerifier;
}

/** Only console paths: never an open redirect. */
export const safeReturnTo = (value: unknown) => safePathUnder('/admin', value);

const client = (deps: ConsoleLoginDeps): SelfClient => ({
  issuer: deps.issuer, clientId: CONSOLE_CLIENT_ID, clientSecret: deps.clientSecret,
  redirectUri: consoleUrls(deps.issuer).callback, sessions: deps.sessions, verifier: deps.verifier,
});

export function startLogin(deps: ConsoleLoginDeps, ctx: Context, returnTo: string): void {
  startCodeFlow(client(deps), ctx, safeReturnTo(returnTo), CONSOLE_MAX_AGE);
}

/** Finishes the flow; returns the signed-in account id and where to go next. */
export async function finishLogin(deps: ConsoleLoginDeps, ctx: Context): Promise<{ sub: string; returnTo: string }> {
  const { sub, returnTo } = await finishCodeFlow(client(deps), ctx);
  return { sub, returnTo };
}
