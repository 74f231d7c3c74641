// The authorization code flow with PKCE as openid-client (https://github.com/panva/openid-client) runs it against
// Plinto: discovery, the authorization request, sign-in on the hosted page, the code exchange with the ID token
// validated by the library (signature against the JWKS, iss, aud, exp, iat, nonce, RFC 9207 iss), refresh, UserInfo,
// introspection, revocation and RP-initiated logout; then the client-side checks an attacker's response must fail:
// a state that is not the one sent and an ID token whose nonce is not the one sent.
//
// Inputs: PLINTO_ISSUER, PLINTO_CLIENT_ID, PLINTO_CLIENT_SECRET, PLINTO_REDIRECT_URI,
// PLINTO_POST_LOGOUT_REDIRECT_URI, PLINTO_USER_EMAIL, PLINTO_USER_PASSWORD, PLINTO_USER_ID (the expected sub).
import * as client from 'openid-client';
import { Browser, check, input, refused, run } from './lib/plinto.mjs';

run(async () => {
  const issuer = new URL(input('PLINTO_ISSUER'));
  const redirectUri = input('PLINTO_REDIRECT_URI');
  const postLogoutRedirectUri = input('PLINTO_POST_LOGOUT_REDIRECT_URI');
  const email = input('PLINTO_USER_EMAIL');
  const password = input('PLINTO_USER_PASSWORD');
  const userId = input('PLINTO_USER_ID');
  const secret = input('PLINTO_CLIENT_SECRET');
  // Plain http is allowed only because the server under test listens on loopback.
  const config = await client.discovery(issuer, input('PLINTO_CLIENT_ID'), secret,
    client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
  const metadata = config.serverMetadata();
  check(metadata.issuer === issuer.href.replace(/\/$/, ''), `discovery names the issuer ${metadata.issuer}`);
  check(metadata.code_challenge_methods_supported?.includes('S256'), 'discovery offers PKCE S256');

  const browser = new Browser(issuer.href);

  async function authorize(scope, extra = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    const callback = await browser.authorize(url.href, email, password);
    check(callback.href.startsWith(`${redirectUri}?`), `Plinto redirects to the client's redirect URI`);
    return { callback, verifier, state, nonce };
  }

  // The code flow, validated by the library.
  const first = await authorize('openid profile email offline_access');
  const tokens = await client.authorizationCodeGrant(config, first.callback, {
    pkceCodeVerifier: first.verifier,
    expectedState: first.state,
    expectedNonce: first.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  check(claims.sub === userId, 'the ID token names the user');
  check(claims.email === email, 'the ID token carries the email of the email scope');
  check(typeof claims.auth_time === 'number', 'the ID token carries auth_time');
  check(tokens.token_type.toLowerCase() === 'bearer', 'a bearer access token');
  check(typeof tokens.refresh_token === 'string', 'a refresh token');

  // Refresh: a new access token, a rotated refresh token, an ID token for the same user.
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.access_token !== tokens.access_token, 'refresh issues a new access token');
  check(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh rotates the refresh token');
  if (refreshed.id_token) {
    check(refreshed.claims().sub === userId, 'the refreshed ID token names the same user');
  }

  // UserInfo, checked by the library against the expected subject.
  const userInfo = await client.fetchUserInfo(config, refreshed.access_token, userId);
  check(userInfo.email === email, 'UserInfo answers the email');

  // Introspection and revocation (RFC 7662, RFC 7009).
  const active = await client.tokenIntrospection(config, refreshed.access_token);
  check(active.active === true && active.sub === userId, 'introspection: the access token is active for the user');
  await client.tokenRevocation(config, refreshed.refresh_token, { token_type_hint: 'refresh_token' });
  const revoked = await client.tokenIntrospection(config, refreshed.refresh_token);
  check(revoked.active === false, 'introspection: the revoked refresh token is inactive');
  await refused(client.refreshTokenGrant(config, refreshed.refresh_token), 'the revoked refresh token is refused');
  // Presented again, a rotated-out refresh token is refused (and, outside the retry grace, taken as stolen: Plinto
  // then revokes the authorization and its session, which is why this comes after the other uses of these tokens).
  await refused(client.refreshTokenGrant(config, tokens.refresh_token), 'the rotated-out refresh token is refused');

  // The client's own checks: a response whose state is not the one this client sent is rejected before any code
  // is exchanged (RFC 6749 §10.12), and an ID token whose nonce is not the one sent is rejected (OIDC Core §3.1.3.7).
  const second = await authorize('openid');
  await refused(client.authorizationCodeGrant(config, second.callback, {
    pkceCodeVerifier: second.verifier, expectedState: client.randomState(), expectedNonce: second.nonce,
  }), 'openid-client rejects a state that is not the one it sent');
  await refused(client.authorizationCodeGrant(config, second.callback, {
    pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: client.randomNonce(),
  }), 'openid-client rejects an ID token whose nonce is not the one it sent');

  // RP-initiated logout with the ID token of a fresh sign-in to the client: Plinto ends the browser's session,
  // returns to the registered URI with the state, and the client's refresh token stops working.
  const third = await authorize('openid offline_access');
  const last = await client.authorizationCodeGrant(config, third.callback, {
    pkceCodeVerifier: third.verifier, expectedState: third.state, expectedNonce: third.nonce,
  });
  const logoutState = client.randomState();
  const logoutUrl = client.buildEndSessionUrl(config, {
    id_token_hint: last.id_token,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state: logoutState,
  });
  const loggedOut = await browser.request(logoutUrl);
  check(loggedOut.status === 302, `logout redirects (${loggedOut.status} ${loggedOut.body.slice(0, 500)})`);
  const back = new URL(loggedOut.location, loggedOut.url);
  check(back.href.startsWith(postLogoutRedirectUri) && back.searchParams.get('state') === logoutState,
    'logout returns to the registered post-logout URI with the state');
  const afterLogout = await browser.request('/account');
  check(afterLogout.status === 303, 'the Plinto session of the browser ended (the account page sends it to sign in)');
  await refused(client.refreshTokenGrant(config, last.refresh_token), 'no refresh after logout');
});
