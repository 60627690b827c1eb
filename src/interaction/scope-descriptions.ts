// Plain-words descriptions for the consent screen: catalogue keys
// (locales/<lang>.json consent.scopes.* and consent.claims.*), translated in
// views/consent.ejs. A scope without a description is shown by name.
import { text, type Text } from '../i18n/i18n.js';

const SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

const CLAIMS = new Set(['name', 'given_name', 'family_name', 'email', 'email_verified', 'address', 'phone_number', 'phone_number_verified']);

export function describeScopes(scopes: string[]): { name: string; description: Text }[] {
  return scopes.map((name) => ({ name, description: SCOPES.has(name) ? text(`consent.scopes.${name}`) : text('consent.scopeOther', { scope: name }) }));
}

export function describeClaims(claims: string[]): Text[] {
  return claims.filter((c) => CLAIMS.has(c)).map((c) => text(`consent.claims.${c}`));
}
