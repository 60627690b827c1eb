// Client metadata is checked by oidc-provider's own rules (redirect URI
// schemes, grant/response type consistency, auth methods...) before it is
// stored, so a bad registration fails at `client create`, not at login.
import type Provider from 'oidc-provider';
import { validateClientMetadata } from '../oidc/provider-seam.js';
import type { MetadataValidator } from './client-store.js';

export class InvalidClientMetadataError extends Error {}

export function createMetadataValidator(getProvider: () => Promise<Provider>): MetadataValidator {
  return async (metadata) => {
    try {
      await validateClientMetadata(await getProvider(), metadata);
    } catch (err) {
      const e = err as { error_description?: string; message: string };
      throw new InvalidClientMetadataError(e.error_description ?? e.message);
    }
  };
}
