package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * The hostile inputs of {@link ErrorHandlingTests} against PostgreSQL, which refuses some text H2 stores (a NUL
 * character, an unpaired surrogate): client input must still never cause a 500.
 */
class PostgresErrorHandlingTests extends PostgresApiTestSupport {

	@Test
	void postWhenHostileInputOnPostgresThenNeverAServerError() {
		for (String path : ErrorHandlingTests.PUBLIC_POSTS) {
			for (String body : ErrorHandlingTests.HOSTILE_BODIES) {
				ApiClient.Response r = api.send(api.request(path, null)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build());
				assertThat(r.status()).as(path + " with " + body.substring(0, Math.min(120, body.length())) + " -> "
						+ r.raw().substring(0, Math.min(200, r.raw().length())))
					.isLessThan(500);
			}
		}
	}

	@Test
	void authenticatedCallsWhenHostileInputOnPostgresThenClientErrors() {
		String token = signUp(newEmail()).text("access_token");
		for (String cursor : ErrorHandlingTests.HOSTILE_CURSORS) {
			ApiClient.Response r = api.get("/v1/me/security-events?cursor=" + cursor, token);
			assertThat(r.status()).as(cursor + " -> " + r).isEqualTo(400);
		}
		assertThat(send("PATCH", "/v1/me", "{\"name\":\"a\\u0000b\"}", token).status()).isEqualTo(400);
		assertThat(send("PATCH", "/v1/me", "{\"name\":\"\\udfff\"}", token).status()).isEqualTo(400);
		assertThat(send("POST", "/v1/me/password",
				"{\"current_password\":\"\\u0000\",\"new_password\":\"long enough \\u0000 password\"}", token)
			.status()).isEqualTo(400);
		assertThat(api.delete("/v1/me/sessions/ses_%C3%28", token).status()).isLessThan(500);
	}

	private ApiClient.Response send(String method, String path, String json, String token) {
		return api.send(api.request(path, token)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.build());
	}
}
