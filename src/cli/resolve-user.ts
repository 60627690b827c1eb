// USER arguments: an id or an email address. Its own module so that every
// user command file can use it without importing another (no import cycle).
import type { Composition as Services } from '../main.js';
import { notFound } from '../errors/domain-error.js';
import { usageError } from './cli-args.js';

/** Resolves USER (an id or an email address) to a user id. */
export async function resolveUser(s: Services, user: string | undefined, command: string): Promise<string> {
  if (!user) throw usageError(`${command} needs a USER (id or email)`);
  if (!user.includes('@')) return user;
  const found = await s.stores.users.findByEmail(user);
  if (!found) throw notFound('user');
  return found.id;
}
