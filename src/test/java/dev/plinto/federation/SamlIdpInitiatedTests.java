package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * IdP-initiated sign-in turned on ({@code PLINTO_SAML_IDP_INITIATED=true}): an unsolicited, signed response signs
 * in, and the same assertion posted again is refused by the replay store, since there is no request to use up.
 */
@TestPropertySource(properties = "PLINTO_SAML_IDP_INITIATED=true")
class SamlIdpInitiatedTests extends ApiTestSupport {

	@Autowired
	ConnectionRepository connections;

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Test
	void acsWhenUnsolicitedAndAllowedThenSignsInOnceAndTheReplayIsRefused() throws Exception {
		SamlTestIdentityProvider idp = SamlTestIdentityProvider.create();
		String organizationId = api.post("/v1/organizations", ApiClient.map("name", "Acme"), account().token())
			.text("id");
		String connectionId = "con_" + UUID.randomUUID().toString().replace("-", "");
		Instant now = clock.instant();
		connections.insert(new OrganizationConnection(connectionId, organizationId, OrganizationConnection.Type.SAML,
				"Acme IdP", true, null, null, null, null, idp.metadata(), "{}", "member", null, null, now, now));
		String base = "http://localhost:8080/saml/" + connectionId;
		String encoded = idp.response(base + "/metadata", base + "/acs", null, newEmail()).encoded();

		HttpResponse<String> first = post(connectionId, encoded);
		HttpResponse<String> replay = post(connectionId, encoded);

		assertThat(first.statusCode()).as(first.body()).isEqualTo(303);
		assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("plinto_refresh="));
		assertThat(replay.statusCode()).isEqualTo(400);
		assertThat(replay.body()).contains("has already been used");
		assertThat(replay.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("plinto_refresh="));
	}

	private HttpResponse<String> post(String connectionId, String samlResponse) throws Exception {
		return http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/saml/" + connectionId + "/acs"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("SAMLResponse=" + URLEncoder.encode(samlResponse, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}
}
