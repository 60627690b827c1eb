// Stand-in until src/mfa/recovery-codes.ts lands on main: ten codes of 50
// random bits each, lowercase base32 (RFC 4648 §6), written xxxxx-xxxxx.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const code = () => {
  const chars = [...randomBytes(10)].map((b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
};
export const interimRecoveryCodes = () => Array.from({ length: 10 }, code);
