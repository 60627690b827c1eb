// Pure pieces of the admin surface: field-naming errors, the console's
// return_to guard, form conversion, and the admin scope policy.
import { describe, expect, it } from 'vitest';
import { invalidMetadata, parseInput } from '../../../src/errors/domain-error.js';
import { clientCreateSchema } from '../../../src/admin/client-schemas.js';
import { safeReturnTo } from '../../../src/admin/console/console-login.js';
import { clientFormInput } from '../../../src/admin/console/forms.js';
import { grantableAdminScopes } from '../../../src/access/admin-access.js';
import type { User } from '../../../src/users/user-store.js';

const user = (roles: string[], disabled = false): User => ({
  id: 'u', email: 'u@example.com', emailVerified: true, name: null, givenName: null, familyName: null,
  address: null, phoneNumber: null, phoneNumberVerified: false, roles, disabled, mfaRequired: false, createdAt: new Date(),
});

describe('admin input', () => {
  it('names every offending field, including unknown ones', () => {
    try {
      parseInput(clientCreateSchema, { redirect_uris: ['x'], grant_types: ['implicit'], colour: 'red' });
      expect.unreachable();
    } catch (err) {
      const e = err as { status: number; fields: { field: string }[] };
      expect(e.status).toBe(400);
      expect(e.fields.map((f) => f.field).sort()).toEqual(['client_name', 'colour', 'grant_types.0', 'redirect_uris.0']);
    }
  });

  it('finds the metadata field in oidc-provider messages', () => {
    expect(invalidMetadata('post_logout_redirect_uris must only contain web uris', ['redirect_uris', 'post_logout_redirect_uris']))
      .toMatchObject({ error: 'invalid_redirect_uri', fields: [{ field: 'post_logout_redirect_uris' }] });
    expect(invalidMetadata('grant_types can only contain ...', ['redirect_uris', 'grant_types']))
      .toMatchObject({ error: 'invalid_client_metadata', fields: [{ field: 'grant_types' }] });
    expect(invalidMetadata('something else', ['grant_types']).fields).toEqual([]);
  });

  it('only returns to console paths after sign-in', () => {
    for (const ok of ['/admin', '/admin/clients', '/admin/users?q=a+b&offset=20']) expect(safeReturnTo(ok)).toBe(ok);
    for (const bad of ['https://evil.example/admin', '//evil.example', '/admin//evil.example', '/administrator', '/admin/../x', '/x', 42, undefined]) {
      expect(safeReturnTo(bad)).toBe('/admin');
    }
  });

  it('turns a console form into API input (update removes emptied optional fields)', () => {
    const body = { client_name: ' App ', redirect_uris: 'https://a.example/cb\r\n\r\nhttps://b.example/cb ', grant_types: 'client_credentials', scope: '', first_party: 'on' };
    expect(clientFormInput(body, 'create')).toEqual({
      client_name: 'App', redirect_uris: ['https://a.example/cb', 'https://b.example/cb'], post_logout_redirect_uris: [],
      grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', first_party: true, admin: false, require_mfa: false,
    });
    expect(clientFormInput(body, 'update')).toMatchObject({ scope: null });
    expect(clientFormInput({ ...body, require_mfa: 'on' }, 'update')).toMatchObject({ require_mfa: true });
  });

  it('grants the admin scope to enabled admins only', () => {
    expect(grantableAdminScopes(user(['admin']), ['admin'])).toEqual({ grant: ['admin'], reject: [] });
    expect(grantableAdminScopes(user(['admin'], true), ['admin'])).toEqual({ grant: [], reject: ['admin'] });
    expect(grantableAdminScopes(user(['support']), ['admin', 'other'])).toEqual({ grant: ['other'], reject: ['admin'] });
    expect(grantableAdminScopes(null, ['admin'])).toEqual({ grant: [], reject: ['admin'] });
  });
});
