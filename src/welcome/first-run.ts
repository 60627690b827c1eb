// The first admin, from the browser (issue 16, "First run"; authentik's
// initial setup and Keycloak's welcome page are the models). While no user
// holds the admin role (access/admin-access.ts), start-up logs a one-time
// setup URL (setup-token.ts); the form on it creates one admin, audited as
// admin.user.create by actor `setup` (security/admin-audit.ts). Once any
// admin exists the URL is refused, whichever token it carries.
// `gatehouse admin bootstrap` (src/cli/admin-commands.ts) does the same from a shell.
import { z } from 'zod';
import { ADMIN_ROLE } from '../access/admin-access.js';
import type { Logger } from '../http/logger.js';
import type { PasswordPolicy, PasswordProblem } from '../users/password-policy.js';
import type { SetupTokens } from './setup-token.js';

export interface FirstAdminInput { email: string; name?: string | undefined; password: string }

export interface FirstRunDeps {
  issuer: string;
  tokens: SetupTokens;
  policy: PasswordPolicy;
  users: { anyWithRole(role: string): Promise<boolean>; findByEmail(email: string): Promise<unknown> };
  /** Creates the user with the admin role, audited (app.ts passes the admin user service with actor `setup`). */
  createAdmin(input: FirstAdminInput): Promise<{ id: string }>;
  log: Logger;
}

export type FirstRun = ReturnType<typeof createFirstRun>;

export type SetupProblem = 'done' | 'invalid-link' | 'invalid-email' | 'email-taken' | PasswordProblem;

const form = z.object({
  email: z.string().trim().max(320).pipe(z.email()),
  name: z.string().trim().max(200).optional(),
  password: z.string().max(2048),
});

export function createFirstRun(deps: FirstRunDeps) {
  const { tokens, policy, users } = deps;
  const adminExists = () => users.anyWithRole(ADMIN_ROLE);
  return {
    adminExists,
    ttlSeconds: tokens.ttlSeconds,
    /** At start-up: logs the setup URL when no admin exists. The URL is the only secret logged, on purpose. */
    async announce(): Promise<string | null> {
      if (await adminExists()) return null;
      const setupUrl = `${deps.issuer}/setup?token=${encodeURIComponent(tokens.issue())}`;
      deps.log.warn('no administrator yet: open the setup URL to create the first one (single use)', {
        setup_url: setupUrl, expires_in_seconds: tokens.ttlSeconds,
      });
      return setupUrl;
    },
    /** Why the setup page cannot be shown, or null when its form may be. */
    async refusal(token: unknown): Promise<'done' | 'invalid-link' | null> {
      if (await adminExists()) return 'done';
      return (await tokens.valid(token)) ? null : 'invalid-link';
    },
    /** Creates the first admin: checks the form, then spends the token (once, on any instance), then creates. */
    async create(token: unknown, body: unknown): Promise<{ ok: true; email: string } | { ok: false; problem: SetupProblem }> {
      const refused = await this.refusal(token);
      if (refused) return { ok: false, problem: refused };
      const parsed = form.safeParse(body);
      if (!parsed.success) return { ok: false, problem: 'invalid-email' };
      const { email, password } = parsed.data;
      const name = parsed.data.name || undefined;
      const problem = policy.check(password, { email });
      if (problem) return { ok: false, problem };
      if (await users.findByEmail(email)) return { ok: false, problem: 'email-taken' };
      if (!(await tokens.spend(token))) return { ok: false, problem: 'invalid-link' };
      // Another instance may have finished setup with another token meanwhile.
      if (await adminExists()) return { ok: false, problem: 'done' };
      await deps.createAdmin({ email, password, name });
      return { ok: true, email };
    },
  };
}
