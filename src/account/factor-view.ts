// What the security page shows of a factor: its kind and storage as keys
// (locales account.security.kind.* / storage.*) and dates in the page's language.
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
  /** Passkeys only: synced | notSynced | deviceOnly (account.security.storage.*). */
  storage: 'synced' | 'notSynced' | 'deviceOnly' | null;
}

const format = (lang: string) => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const when = (d: Date, f: Intl.DateTimeFormat) => ({ iso: d.toISOString(), text: f.format(d) });

function storage(f: Factor): FactorView['storage'] {
  if (!f.passkey) return null;
  if (f.passkey.backedUp) return 'synced';
  return f.passkey.deviceType === 'multiDevice' ? 'notSynced' : 'deviceOnly';
}

export function factorView(f: Factor, lang = 'en'): FactorView {
  const dates = format(lang);
  return {
    id: f.id, kind: f.kind, kindLabel: `account.security.kind.${f.kind}`, name: f.name,
    added: when(f.createdAt, dates), lastUsed: f.lastUsedAt ? when(f.lastUsedAt, dates) : null, storage: storage(f),
  };
}
