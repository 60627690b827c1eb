// Thin helpers over the token, introspection and revocation endpoints, using
// oauth4webapi (a real client library) where it fits and raw fetch where the
// test needs to see the exact HTTP response.
import * as oauth from 'oauth4webapi';

export interface TestClient {
  clientId: string;
  clientSecret: string;
}

/** oauth4webapi's option for a test server on plain HTTP. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** The authorization server's metadata, read through oauth4webapi's discovery. */
export async function discover(issuer: string | URL): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecure));
}

export const basic = (c: TestClient) => `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`;

export async function postForm(issuer: string, path: string, c: TestClient | null, form: Record<string, string>) {
  const res = await fetch(`${issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(c ? { authorization: basic(c) } : {}) },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: tests assert on status/text */
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const refresh = (issuer: string, c: TestClient, refreshToken: string, extra: Record<string, string> = {}) =>
  postForm(issuer, '/token', c, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

export const introspect = async (issuer: string, c: TestClient, token: string) =>
  (await postForm(issuer, '/token/introspection', c, { token })).json;

export async function exchangeCode(issuer: string, c: TestClient, redirectUri: string, callback: URL, verifier: string) {
  const as = await discover(issuer);
  const client: oauth.Client = { client_id: c.clientId };
  const auth = oauth.ClientSecretBasic(c.clientSecret);
  const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);
  const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
  return { as, result: await oauth.processAuthorizationCodeResponse(as, client, res) };
}
