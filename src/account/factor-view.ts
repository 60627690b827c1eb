// What the security page shows of a factor: plain-English labels and dates.
// Passkeys say whether they are synced (WebAuthn Level 3 §6.1.3 backup
// state, BS flag) or bound to one device (backup eligibility, BE flag: deviceType).
import type { Factor } from '../mfa/factor-store.js';

export interface FactorView {
  id: string;
  kind: Factor['kind'];
  kindLabel: string;
  name: string;
  added: { iso: string; text: string };
  lastUsed: { iso: string; text: string } | null;
  /** Passkeys only. */
  storage: string | null;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const when = (d: Date) => ({ iso: d.toISOString(), text: DATE.format(d) });

function storage(f: Factor): string | null {
  if (!f.passkey) return null;
  if (f.passkey.backedUp) return 'Synced across your devices';
  return f.passkey.deviceType === 'multiDevice' ? 'Not synced yet' : 'On this device only';
}

export const factorView = (f: Factor): FactorView => ({
  id: f.id, kind: f.kind, kindLabel: f.kind === 'totp' ? 'Authenticator app' : 'Passkey', name: f.name,
  added: when(f.createdAt), lastUsed: f.lastUsedAt ? when(f.lastUsedAt) : null, storage: storage(f),
});
