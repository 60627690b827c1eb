// Plain-words descriptions for the consent screen.
const SCOPES: Record<string, string> = {
  openid: 'Confirm that it is you (your account identifier)',
  profile: 'Your name',
  email: 'Your email address, and whether it is verified',
  address: 'Your postal address',
  phone: 'Your phone number, and whether it is verified',
  offline_access: 'Stay connected when you are not using it (it can refresh its access without asking you)',
};

const CLAIMS: Record<string, string> = {
  name: 'Full name', given_name: 'First name', family_name: 'Last name',
  email: 'Email address', email_verified: 'Whether your email address is verified',
  address: 'Postal address', phone_number: 'Phone number', phone_number_verified: 'Whether your phone number is verified',
};

export function describeScopes(scopes: string[]): { name: string; description: string }[] {
  return scopes.map((name) => ({ name, description: SCOPES[name] ?? `Access: ${name}` }));
}

export function describeClaims(claims: string[]): string[] {
  return claims.filter((c) => c in CLAIMS).map((c) => CLAIMS[c]!);
}
