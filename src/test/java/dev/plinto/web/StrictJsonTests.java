package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every JSON body is read strictly: malformed UTF-8 (overlong forms included), a key sent twice and a scalar of
 * another JSON type are refused as {@code malformed_request} naming the field, and nothing is stored.
 */
class StrictJsonTests extends ApiTestSupport {

	private ApiClient.Response post(String path, byte[] body, String bearer) {
		return api.send(api.request(path, bearer)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build());
	}

	private ApiClient.Response patch(String path, String body, String bearer) {
		return api.send(api.request(path, bearer)
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof String s) {
				out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
			}
			else {
				for (int b : (int[]) part) {
					out.write(b);
				}
			}
		}
		return out.toByteArray();
	}

	private static void assertMalformed(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("malformed_request");
	}

	@Test
	void postWhenBodyHasOverlongSlashThenMalformedRequestAndNoAccount() {
		String email = newEmail();
		// C0 AF is an overlong encoding of '/': RFC 3629 §3 forbids decoding it.
		ApiClient.Response r = post("/v1/sign-up", bytes("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
				+ "\",\"name\":\"a", new int[] { 0xC0, 0xAF }, "b\"}"), null);
		assertMalformed(r);
		assertThat(r.text("detail")).contains("UTF-8");
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(401);
	}

	@Test
	void postWhenBodyHasOverlongScriptTagThenMalformedRequest() {
		ApiClient.Response r = post("/v1/sign-in", bytes("{\"email\":\"", new int[] { 0xC0, 0xBC }, "script",
				new int[] { 0xC0, 0xBE }, "@example.com\",\"password\":\"x\"}"), null);
		assertMalformed(r);
	}

	@ParameterizedTest
	@ValueSource(strings = { "E0 80 AF", "F0 80 80 AF", "ED A0 80", "F4 90 80 80", "FF", "80", "C3" })
	void postWhenBodyHasIllFormedUtf8ThenMalformedRequest(String hex) {
		String[] parts = hex.split(" ");
		int[] raw = new int[parts.length];
		for (int i = 0; i < parts.length; i++) {
			raw[i] = Integer.parseInt(parts[i], 16);
		}
		assertMalformed(post("/v1/sign-in", bytes("{\"email\":\"a", raw, "@example.com\",\"password\":\"x\"}"), null));
	}

	@Test
	void postWhenBodyHasWellFormedMultibyteTextThenAccepted() {
		Account account = account();
		ApiClient.Response r = patch("/v1/me", "{\"name\":\"Zoë 漢字 \uD83D\uDE00\"}", account.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("name")).isEqualTo("Zoë 漢字 \uD83D\uDE00");
	}

	@Test
	void postWhenKeyDuplicatedThenMalformedRequestNamingTheFieldAndNoAccount() {
		String first = newEmail();
		String second = newEmail();
		ApiClient.Response r = post("/v1/sign-up", bytes("{\"email\":\"" + first + "\",\"password\":\"" + PASSWORD
				+ "\",\"email\":\"" + second + "\"}"), null);
		assertMalformed(r);
		assertThat(r.text("detail")).contains("'email'");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("email");
		assertThat(signIn(first, PASSWORD).status()).isEqualTo(401);
		assertThat(signIn(second, PASSWORD).status()).isEqualTo(401);
	}

	@Test
	void postWhenKeyDuplicatedInsideMetadataThenMalformedRequest() {
		Account account = account();
		ApiClient.Response r = post("/v1/organizations",
				bytes("{\"name\":\"Acme\",\"public_metadata\":{\"plan\":\"free\",\"plan\":\"pro\"}}"), account.token());
		assertMalformed(r);
		assertThat(r.text("detail")).contains("'plan'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "false", "42", "4.2", "1e999999" })
	void patchWhenStringFieldGetsAnotherScalarThenMalformedRequestNamingTheField(String scalar) {
		Account account = account();
		ApiClient.Response r = patch("/v1/me", "{\"name\":" + scalar + "}", account.token());
		assertMalformed(r);
		assertThat(r.text("detail")).contains("'name'");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		assertThat(api.get("/v1/me", account.token()).json().get("name").isNull()).isTrue();
	}

	@Test
	void postWhenMetadataHoldsNumberBeyondDoubleThenMalformedRequestNamingTheField() {
		Account account = account();
		ApiClient.Response r = post("/v1/organizations",
				bytes("{\"name\":\"Acme\",\"public_metadata\":{\"n\":1e999999}}"), account.token());
		assertMalformed(r);
		assertThat(r.text("detail")).contains("'public_metadata.n'");
		ApiClient.Response ok = post("/v1/organizations",
				bytes("{\"name\":\"Acme\",\"public_metadata\":{\"n\":1e300,\"m\":-7}}"), account.token());
		assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
		assertThat(ok.json().get("public_metadata").get("n").asDouble()).isEqualTo(1e300);
	}

	@Test
	void postWhenStringSentAsObjectOrArrayThenMalformedRequest() {
		assertMalformed(post("/v1/sign-in", bytes("{\"email\":{\"a\":1},\"password\":\"x\"}"), null));
		assertMalformed(post("/v1/sign-in", bytes("{\"email\":[\"a@example.com\"],\"password\":\"x\"}"), null));
	}
}
