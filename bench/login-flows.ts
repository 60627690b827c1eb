// Complete HTTP login flows per second (authorization request, login page,
// password check with argon2id, redirect with code), 8 at a time.
import { httpAuthorize, type LoginOptions } from '../test/helpers/http-login.js';
import { runWorkers } from './workers.js';

export const loginFlows = (o: LoginOptions, seconds: number) =>
  runWorkers(Array.from({ length: 8 }, () => o), seconds, async (opts) => Boolean(await httpAuthorize(opts)));
