package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.plinto.ApiClient;
import java.net.http.HttpRequest;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Steps of the MFA tests that drive the real server: enrolment, codes from an independent TOTP generator. */
public final class MfaSteps {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MfaSteps() {
	}

	/** The current code for a base32 secret, computed by java-otp, not by the server's implementation. */
	public static String code(String secret, Instant at) {
		try {
			return new TimeBasedOneTimePasswordGenerator().generateOneTimePasswordString(
					new SecretKeySpec(Totp.fromBase32(secret), "HmacSHA1"), at);
		}
		catch (InvalidKeyException e) {
			throw new IllegalStateException(e);
		}
	}

	/** An enrolled authenticator: its secret and the recovery codes the confirmation returned. */
	public record Enrolled(String secret, List<String> recoveryCodes) {
	}

	/** Starts and confirms TOTP enrolment with a code for {@code at}. */
	public static Enrolled enrolTotp(ApiClient api, String token, Instant at) {
		ApiClient.Response started = api.post("/v1/me/mfa/totp", "", token);
		assertThat(started.status()).as(started.toString()).isEqualTo(201);
		String secret = started.text("secret");
		ApiClient.Response confirmed = api.post("/v1/me/mfa/totp/confirm", ApiClient.map("code", code(secret, at)),
				token);
		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		return new Enrolled(secret, strings(confirmed.json().get("recovery_codes")));
	}

	static List<String> strings(JsonNode array) {
		List<String> out = new ArrayList<>();
		array.forEach(n -> out.add(n.asString()));
		return out;
	}

	static ApiClient.Response delete(ApiClient api, String path, Object body, String token) {
		return api.send(api.request(path, token).header("Content-Type", "application/json")
			.method("DELETE", HttpRequest.BodyPublishers.ofString(body instanceof String text ? text
					: JSON.writeValueAsString(body)))
			.build());
	}

	/** The wire names of the user's newest security events. */
	static List<String> eventTypes(ApiClient api, String token) {
		ApiClient.Response events = api.get("/v1/me/security-events?limit=100", token);
		assertThat(events.status()).as(events.toString()).isEqualTo(200);
		List<String> types = new ArrayList<>();
		events.json().get("data").forEach(e -> types.add(e.get("type").asString()));
		return types;
	}
}
