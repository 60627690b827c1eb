// The master secret seals keys and client secrets at rest and derives cookie
// keys. Production must set GATEHOUSE_SECRET (config enforces it); for a
// zero-setup development start we create one under DATA_DIR (mode 0600).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.js';

export function resolveMasterSecret(config: Config): { secret: string; generated: boolean } {
  if (config.GATEHOUSE_SECRET) return { secret: config.GATEHOUSE_SECRET, generated: false };
  const file = join(config.DATA_DIR, 'secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return { secret, generated: true };
}
