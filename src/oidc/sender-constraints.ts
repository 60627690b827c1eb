// Sender-constrained tokens and pushed authorization requests:
// DPoP (RFC 9449), mutual-TLS client auth and certificate-bound tokens
// (RFC 8705), PAR (RFC 9126; per client `require_pushed_authorization_requests`).
//
// mTLS runs behind a TLS-terminating proxy that verifies the client
// certificate and forwards it (URL-encoded PEM, as nginx's
// $ssl_client_escaped_cert) with the verification result. Those headers are
// only believed when TRUST_PROXY=true, and the proxy must overwrite them on
// every request, or a client could claim any certificate. See docs/mtls.md.
import { X509Certificate } from 'node:crypto';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config.js';

const CERT_HEADER = 'x-ssl-client-cert';
const VERIFY_HEADER = 'x-ssl-client-verify';

export function clientCertificate(ctx: KoaContextWithOIDC, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  const raw = ctx.get(CERT_HEADER);
  if (!raw) return undefined;
  try {
    const pem = decodeURIComponent(raw);
    new X509Certificate(pem); // reject garbage early: it becomes invalid_client, not a 500
    return pem;
  } catch {
    return undefined;
  }
}

function subjectMatches(ctx: KoaContextWithOIDC, trustProxy: boolean, property: string, expected: string): boolean {
  const pem = clientCertificate(ctx, trustProxy);
  if (!pem) return false;
  const cert = new X509Certificate(pem);
  const norm = (dn: string) => dn.split(/[,\n]/).map((p) => p.trim()).filter(Boolean).sort().join(',');
  const sans = (cert.subjectAltName ?? '').split(',').map((s) => s.trim());
  switch (property) {
    case 'tls_client_auth_subject_dn': return norm(cert.subject) === norm(expected);
    case 'tls_client_auth_san_dns': return sans.includes(`DNS:${expected}`);
    case 'tls_client_auth_san_uri': return sans.includes(`URI:${expected}`);
    case 'tls_client_auth_san_ip': return sans.includes(`IP Address:${expected}`);
    case 'tls_client_auth_san_email': return sans.includes(`email:${expected}`);
    default: return false;
  }
}

export function senderConstraintFeatures(config: Config): NonNullable<Configuration['features']> {
  const trust = config.TRUST_PROXY;
  return {
    dPoP: { enabled: true },
    pushedAuthorizationRequests: { enabled: true },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      selfSignedTlsClientAuth: true,
      tlsClientAuth: true,
      getCertificate: (ctx) => clientCertificate(ctx, trust) as never,
      certificateAuthorized: (ctx) => trust && ctx.get(VERIFY_HEADER) === 'SUCCESS',
      certificateSubjectMatches: (ctx, property, expected) => subjectMatches(ctx, trust, property, expected),
    },
  };
}
