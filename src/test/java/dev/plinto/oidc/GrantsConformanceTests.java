package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.web.ClientInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant and pushed authorization requests driven by {@code oauth4webapi} from npm,
 * unmodified (the scripts {@code conformance/device-flow.mjs} and {@code conformance/par.mjs}, run by
 * {@link NodeClients}): the library validates discovery, the device authorization, pushed authorization and token
 * responses, the RFC 9207 {@code iss} of the redirect, the ID token, and the device's access token as an RFC 9068
 * JWT against the JWKS.
 */
class GrantsConformanceTests extends OidcTestSupport {

	/** The library checks {@code iat} and {@code exp} against the real time (see {@link ConformanceTests}). */
	@BeforeEach
	void realTime() {
		clock.set(Instant.now());
	}

	@Test
	void oauth4webapiWhenDeviceFlowThenPendingSlowDownTheUserOnThePagesAndAValidatedAccessToken() throws Exception {
		OidcClients.Created tv = clients.create(new OidcClients.Spec("Conformance TV", OidcClients.Type.PUBLIC,
				List.of(), List.of(), Set.of("device_code"), Set.of("profile", "email"), false, true, null, null,
				null), ClientInfo.none());
		User user = user();
		String out = NodeClients.run("device-flow.mjs", ConformanceTests.env(new Registered(tv.client().clientId(),
				null), Map.of("PLINTO_SCOPE", "profile email", "PLINTO_USER_EMAIL", user.email(),
						"PLINTO_USER_PASSWORD", PASSWORD, "PLINTO_USER_ID", user.id())));
		assertThat(out).contains("ok - with authorization_pending")
			.contains("ok - with slow_down")
			.contains("ok - the device is connected")
			.contains("ok - its JWT verifies against the JWKS and names the user")
			.endsWith("PASS\n");
	}

	@Test
	void oauth4webapiWhenPushedAuthorizationRequestThenTheCodeFlowCompletesAndTheRequestUriWorksOnce()
			throws Exception {
		Registered client = confidential(false);
		User user = user();
		String out = NodeClients.run("par.mjs", ConformanceTests.env(client, Map.of("PLINTO_REDIRECT_URI", REDIRECT,
				"PLINTO_USER_EMAIL", user.email(), "PLINTO_USER_PASSWORD", PASSWORD, "PLINTO_USER_ID", user.id())));
		assertThat(out).contains("ok - the ID token (signature, iss, aud, nonce checked) names the user")
			.contains("ok - the request_uri is refused the second time")
			.contains("ok - with 401 invalid_client")
			.endsWith("PASS\n");
	}
}
