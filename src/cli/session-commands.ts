// `gatehouse session ...`: a user's sign-in sessions, and ending them.
import type { Composition as Services } from '../main.js';
import { emit, emitList, parseWithArgs, usageError, type Out } from './cli-args.js';
import { cliActor } from '../security/admin-audit.js';
import { resolveUser } from './user-commands.js';

export async function sessionCommands(s: Services, sub: string | undefined, args: string[], out: Out): Promise<number> {
  if (sub === 'list') {
    const { values: v, positionals: [user] } = parseWithArgs(args, { json: { type: 'boolean' } }, 1);
    const sessions = await s.admin.users.sessions(await resolveUser(s, user, 'session list'));
    emitList(out, v.json, sessions, 'no sessions', (x) => `${x.id}  signed in ${x.login_at ?? '?'}  expires ${x.expires_at ?? 'never'}  clients: ${x.clients.join(' ') || '-'}`);
    return 0;
  }
  if (sub === 'revoke') {
    const { values: v, positionals: [user, sessionId] } = parseWithArgs(args, { json: { type: 'boolean' }, all: { type: 'boolean' } }, 2);
    const id = await resolveUser(s, user, 'session revoke');
    if (Boolean(v.all) === Boolean(sessionId)) throw usageError('session revoke needs a SESSION_ID or --all');
    if (v.all) {
      const r = await s.admin.users.revokeSessions(id, cliActor());
      emit(out, v.json, r, () => [`ended ${r.sessions_ended} session(s) and revoked their grants`]);
    } else {
      await s.admin.users.revokeSession(id, sessionId!, cliActor());
      emit(out, v.json, { id: sessionId, revoked: true }, () => [`ended session ${sessionId} and revoked its grants`]);
    }
    return 0;
  }
  throw usageError(`unknown session command: ${sub ?? ''}`);
}
