// findAccount for oidc-provider: claims come from the user store, released per
// scope as OpenID Connect Core §5.4 describes.
import type { FindAccount } from 'oidc-provider';
import type { UserStore } from '../users/user-store.js';

export const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'updated_at'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
} as const;

export function buildFindAccount(users: UserStore): FindAccount {
  return async (_ctx, sub) => {
    const user = await users.findById(sub);
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      async claims() {
        return {
          sub: user.id,
          email: user.email,
          email_verified: user.emailVerified,
          ...(user.name ? { name: user.name } : {}),
          ...(user.givenName ? { given_name: user.givenName } : {}),
          ...(user.familyName ? { family_name: user.familyName } : {}),
          ...(user.address ? { address: user.address } : {}),
          // §5.1: phone_number_verified only means something next to a number.
          ...(user.phoneNumber ? { phone_number: user.phoneNumber, phone_number_verified: user.phoneNumberVerified } : {}),
        };
      },
    };
  };
}
