package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider driven by client libraries written by others, unmodified, from npm (the scripts of
 * {@code conformance/}, run by {@link NodeClients}): {@code openid-client} through the whole code flow and
 * {@code oauth4webapi} through client credentials. Each library validates Plinto's answers itself (discovery, ID
 * token signature and claims, RFC 9207 {@code iss}, token responses), so a deviation from the standards fails here
 * even where Plinto's own tests would agree with Plinto.
 */
class ConformanceTests extends OidcTestSupport {

	/**
	 * The libraries check {@code iat} and {@code exp} against the real time; the test clock is fixed when the shared
	 * context starts, so it is brought to the real time first.
	 */
	@BeforeEach
	void realTime() {
		clock.set(Instant.now());
	}

	@Test
	void openidClientWhenCodeFlowWithPkceThenEveryStepValidatesAndForgedStateOrNonceIsRejected() throws Exception {
		Registered client = confidential(false);
		User user = user();
		String out = NodeClients.run("code-flow.mjs", env(client, Map.of("PLINTO_REDIRECT_URI", REDIRECT,
				"PLINTO_POST_LOGOUT_REDIRECT_URI", LOGOUT_REDIRECT, "PLINTO_USER_EMAIL", user.email(),
				"PLINTO_USER_PASSWORD", PASSWORD, "PLINTO_USER_ID", user.id())));
		assertThat(out).contains("ok - openid-client rejects a state that is not the one it sent")
			.contains("ok - openid-client rejects an ID token whose nonce is not the one it sent")
			.contains("ok - logout returns to the registered post-logout URI with the state")
			.endsWith("PASS\n");
	}

	@Test
	void oauth4webapiWhenClientCredentialsThenATokenForTheClientThatIntrospectsActive() throws Exception {
		Registered client = confidential(true, "reports.read");
		String out = NodeClients.run("client-credentials.mjs", env(client, Map.of("PLINTO_SCOPE", "reports.read")));
		assertThat(out).contains("ok - introspection: the token is active").endsWith("PASS\n");
	}

	/** The environment of a script: the issuer, the client and the given inputs. */
	static Map<String, String> env(Registered client, Map<String, String> inputs) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("PLINTO_ISSUER", base());
		env.put("PLINTO_CLIENT_ID", client.id());
		if (client.secret() != null) {
			env.put("PLINTO_CLIENT_SECRET", client.secret());
		}
		env.putAll(inputs);
		return env;
	}
}
