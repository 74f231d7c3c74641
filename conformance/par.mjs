// Pushed authorization requests (RFC 9126) as oauth4webapi (https://github.com/panva/oauth4webapi) runs them
// against Plinto: discovery names the endpoint, the client pushes its request with PKCE and its secret, the browser
// takes only client_id and request_uri to the authorization endpoint (signing in on the hosted page), and the code
// comes back with the RFC 9207 iss the library checks; the code exchange and the ID token are validated by the
// library. A request_uri is refused the second time, and a push without client authentication is refused.
//
// Inputs: PLINTO_ISSUER, PLINTO_CLIENT_ID, PLINTO_CLIENT_SECRET, PLINTO_REDIRECT_URI, PLINTO_USER_EMAIL,
// PLINTO_USER_PASSWORD, PLINTO_USER_ID.
import * as oauth from 'oauth4webapi';
import { Browser, check, input, refused, run } from './lib/plinto.mjs';

run(async () => {
  const issuer = new URL(input('PLINTO_ISSUER'));
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  check(typeof as.pushed_authorization_request_endpoint === 'string', 'discovery names the PAR endpoint');
  check(as.require_pushed_authorization_requests === false, 'pushing is optional');
  const client = { client_id: input('PLINTO_CLIENT_ID') };
  const auth = oauth.ClientSecretBasic(input('PLINTO_CLIENT_SECRET'));
  const redirectUri = input('PLINTO_REDIRECT_URI');

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const parameters = new URLSearchParams({
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email',
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const pushed = await oauth.processPushedAuthorizationResponse(as, client,
    await oauth.pushedAuthorizationRequest(as, client, auth, parameters, insecure));
  check(pushed.request_uri.startsWith('urn:ietf:params:oauth:request_uri:'), 'a request_uri');
  check(pushed.expires_in > 0, `that expires in ${pushed.expires_in} seconds`);

  const authorizationUrl = new URL(as.authorization_endpoint);
  authorizationUrl.searchParams.set('client_id', client.client_id);
  authorizationUrl.searchParams.set('request_uri', pushed.request_uri);
  const browser = new Browser(issuer.href);
  const callback = await browser.authorize(authorizationUrl, input('PLINTO_USER_EMAIL'), input('PLINTO_USER_PASSWORD'));
  const params = oauth.validateAuthResponse(as, client, callback, state);
  check(params.get('code'), 'the browser comes back with a code, its state and iss checked by the library');

  const tokens = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure),
    { expectedNonce: nonce, requireIdToken: true });
  const id = oauth.getValidatedIdTokenClaims(tokens);
  check(id.sub === input('PLINTO_USER_ID'), 'the ID token (signature, iss, aud, nonce checked) names the user');

  const again = await browser.request(authorizationUrl);
  check(again.status === 400, 'the request_uri is refused the second time');

  const anonymous = await refused(async () => oauth.processPushedAuthorizationResponse(as, client,
    await oauth.pushedAuthorizationRequest(as, client, oauth.None(), parameters, insecure)),
  'a push without client authentication is refused');
  // A 401 with a WWW-Authenticate challenge (RFC 6749 §5.2), which the library reports as such; the body says why.
  const body = anonymous.response ? await anonymous.response.json() : anonymous;
  check(anonymous.status === 401 && body.error === 'invalid_client', 'with 401 invalid_client');
});
