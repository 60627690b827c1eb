// Client metadata is checked by oidc-provider's own rules (redirect URI
// schemes, grant/response type consistency, auth methods...) before it is
// stored, so a bad registration fails at `client create`, not at login.
import type Provider from 'oidc-provider';
import { validateClientMetadata } from '../oidc/provider-seam.js';
import type { MetadataValidator } from './client-store.js';
import { invalidMetadata } from '../errors/domain-error.js';

export function createMetadataValidator(getProvider: () => Promise<Provider>): MetadataValidator {
  return async (metadata) => {
    try {
      await validateClientMetadata(await getProvider(), metadata);
    } catch (err) {
      const e = err as { error_description?: string; message: string };
      throw invalidMetadata(e.error_description ?? e.message);
    }
  };
}
