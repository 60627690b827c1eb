// gatehouse/resource-server: validate Gatehouse access tokens in your APIs.
export { createAccessTokenVerifier, verifyAccessToken, type VerifierOptions, type VerifiedToken, type VerifyAccessToken } from './verify-access-token.js';
export { requireAccessToken, type RequireTokenOptions } from './koa-middleware.js';
export { BearerError } from './errors.js';
export type { ProofContext } from './bindings.js';
