package dev.plinto.account;

import dev.plinto.ApiClient;
import java.net.http.HttpRequest;
import tools.jackson.databind.json.JsonMapper;

/** Calls of the account's deletion and email change, for tests in any package. */
public final class AccountSteps {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private AccountSteps() {
	}

	/** {@code DELETE /v1/me} with a JSON body and, when not null, an {@code Accept-Language}. */
	public static ApiClient.Response deleteAccount(ApiClient api, String token, Object body, String language) {
		HttpRequest.Builder request = api.request("/v1/me", token).header("Content-Type", "application/json")
			.method("DELETE", HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
					: JSON.writeValueAsString(body)));
		if (language != null) {
			request.header("Accept-Language", language);
		}
		return api.send(request.build());
	}

	/** {@code POST /v1/me/email} with, when not null, an {@code Accept-Language}. */
	public static ApiClient.Response changeEmail(ApiClient api, String token, String email, String password,
			String language) {
		HttpRequest.Builder request = api.request("/v1/me/email", token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
					ApiClient.map("email", email, "password", password))));
		if (language != null) {
			request.header("Accept-Language", language);
		}
		return api.send(request.build());
	}
}
