// The client credentials grant as oauth4webapi (https://github.com/panva/oauth4webapi) runs it against Plinto:
// discovery, a token for the client itself with client_secret_basic, and introspection of that token (RFC 7662),
// each answer processed and validated by the library.
//
// Inputs: PLINTO_ISSUER, PLINTO_CLIENT_ID, PLINTO_CLIENT_SECRET, PLINTO_SCOPE (optional, e.g. reports.read).
import * as oauth from 'oauth4webapi';
import { check, input, optional, refused, run } from './lib/plinto.mjs';

run(async () => {
  const issuer = new URL(input('PLINTO_ISSUER'));
  // Plain http is allowed only because the server under test listens on loopback.
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  check(as.grant_types_supported?.includes('client_credentials'), 'discovery offers client_credentials');
  const clientId = input('PLINTO_CLIENT_ID');
  const secret = input('PLINTO_CLIENT_SECRET');
  const scope = optional('PLINTO_SCOPE', undefined);
  const client = { client_id: clientId };
  const auth = oauth.ClientSecretBasic(secret);

  const parameters = new URLSearchParams();
  if (scope) {
    parameters.set('scope', scope);
  }
  const token = await oauth.processClientCredentialsResponse(as, client,
    await oauth.clientCredentialsGrantRequest(as, client, auth, parameters, insecure));
  check(typeof token.access_token === 'string' && token.token_type === 'bearer', 'a bearer access token');
  check(token.refresh_token === undefined, 'no refresh token for client credentials');
  if (scope) {
    check(token.scope === scope, `the granted scope is ${scope}`);
  }

  const introspection = await oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, auth, token.access_token, insecure));
  check(introspection.active === true, 'introspection: the token is active');
  check(introspection.client_id === clientId, 'introspection: it belongs to the client');
  check(introspection.sub === clientId, 'introspection: its subject is the client itself');

  const wrong = oauth.ClientSecretBasic(`${secret}x`);
  const error = await refused(async () => oauth.processClientCredentialsResponse(as, client,
    await oauth.clientCredentialsGrantRequest(as, client, wrong, parameters, insecure)),
  'a wrong client secret is refused');
  check(error.error === 'invalid_client', 'with invalid_client');
});
