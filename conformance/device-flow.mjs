// The device authorization grant (RFC 8628) as oauth4webapi (https://github.com/panva/oauth4webapi) runs it against
// Plinto: discovery, the device authorization request, polling (authorization_pending, then slow_down when polling
// too fast), the user's part on Plinto's hosted pages (sign-in from verification_uri_complete, the "enter the code"
// page, the consent screen), and the tokens, whose access token the library validates as an RFC 9068 JWT against the
// JWKS, as a resource server would.
//
// Inputs: PLINTO_ISSUER, PLINTO_CLIENT_ID, PLINTO_CLIENT_SECRET (absent for a public client), PLINTO_SCOPE
// (e.g. "profile email"), PLINTO_USER_EMAIL, PLINTO_USER_PASSWORD, PLINTO_USER_ID.
import * as oauth from 'oauth4webapi';
import { Browser, check, firstForm, input, optional, refused, run } from './lib/plinto.mjs';

run(async () => {
  const issuer = new URL(input('PLINTO_ISSUER'));
  // Plain http is allowed only because the server under test listens on loopback.
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  check(typeof as.device_authorization_endpoint === 'string', 'discovery names the device authorization endpoint');
  check(as.grant_types_supported?.includes('urn:ietf:params:oauth:grant-type:device_code'),
    'discovery offers the device code grant');
  const client = { client_id: input('PLINTO_CLIENT_ID') };
  const secret = optional('PLINTO_CLIENT_SECRET', undefined);
  const auth = secret ? oauth.ClientSecretBasic(secret) : oauth.None();
  const scope = input('PLINTO_SCOPE');

  const device = await oauth.processDeviceAuthorizationResponse(as, client,
    await oauth.deviceAuthorizationRequest(as, client, auth, new URLSearchParams({ scope }), insecure));
  check(/^[A-Z]{4}-[A-Z]{4}$/.test(device.user_code), `a user code to type: ${device.user_code}`);
  check(device.verification_uri === `${issuer.href.replace(/\/$/, '')}/device`, 'the verification URI is the /device page');
  check(new URL(device.verification_uri_complete).searchParams.get('user_code') === device.user_code,
    'verification_uri_complete carries the user code');
  check(device.interval === 5, 'a polling interval of 5 seconds');

  const poll = async () => oauth.processDeviceCodeResponse(as, client,
    await oauth.deviceCodeGrantRequest(as, client, auth, device.device_code, insecure));
  const pending = await refused(poll, 'a poll before the user is done is refused');
  check(pending.error === 'authorization_pending', 'with authorization_pending');
  await refused(poll, 'a second poll at once is refused');
  const tooFast = await refused(poll, 'a third poll at once is refused');
  check(tooFast.error === 'slow_down', 'with slow_down');

  // The user: the link signed out, the sign-in page, the code page with the code filled in, the consent screen.
  const browser = new Browser(issuer.href);
  let page = await browser.follow(await browser.request(device.verification_uri_complete));
  check(page.status === 200 && new URL(page.url).pathname === '/sign-in', 'a signed-out browser is sent to sign in');
  let form = firstForm(page.body);
  form.fields.set('email', input('PLINTO_USER_EMAIL'));
  form.fields.set('password', input('PLINTO_USER_PASSWORD'));
  page = await browser.follow(await browser.post(form.action || page.url, form.fields));
  check(page.status === 200 && new URL(page.url).pathname === '/device'
    && page.body.includes(`value="${device.user_code}"`), 'back on the code page with the code filled in');
  form = firstForm(page.body);
  form.fields.set('user_code', device.user_code);
  page = await browser.follow(await browser.post(form.action, form.fields));
  if (/name="scope"/.test(page.body)) {
    form = firstForm(page.body);
    page = await browser.follow(await browser.post(form.action, form.fields));
  }
  check(page.status === 200 && new URL(page.url).searchParams.get('result') === 'approved', 'the device is connected');

  const tokens = await poll();
  check(typeof tokens.access_token === 'string' && tokens.token_type === 'bearer', 'the poll gets a bearer access token');
  const claims = await oauth.validateJwtAccessToken(as, new Request(as.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  }), client.client_id, insecure);
  check(claims.sub === input('PLINTO_USER_ID'), 'its JWT verifies against the JWKS and names the user');
  check(claims.client_id === client.client_id, 'and the client');

  const used = await refused(poll, 'the device code does not work twice');
  check(used.error === 'access_denied' || used.error === 'invalid_grant', `with ${used.error}`);
});
