// Space-delimited parameter lists (RFC 6749 §3.3 scope, OAuth 2.0 Multiple
// Response Types §2 response_type): the words of a string, nothing for
// anything else (a missing or non-string value).
export const spaceList = (value: unknown): string[] => (typeof value === 'string' ? value.split(' ').filter(Boolean) : []);
