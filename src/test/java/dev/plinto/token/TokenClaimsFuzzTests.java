package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tokens signed with the server's own active key, so the signature is always right, with every claim varied: times
 * in every order, each claim missing or of another JSON type, NUL and control characters, a session of another user
 * or of nobody. A verifier must answer each with 401 {@code invalid_token} (never a 500, never a 200), and accept
 * exactly the valid variants. Each case is named in the failure message, so a regression says which claim it is.
 */
class TokenClaimsFuzzTests extends ApiTestSupport {

	@Autowired
	private SigningKeys keys;

	@Autowired
	private PlintoSettings settings;

	private Map<String, Object> valid(ApiClient.Response session) {
		return valid(session, settings, clock);
	}

	private String sign(Map<String, Object> claims) throws Exception {
		return sign(keys, claims);
	}

	/** The claims Plinto issues for this session, as a JSON object with epoch seconds, valid now. */
	static Map<String, Object> valid(ApiClient.Response session, PlintoSettings settings, Clock clock) {
		long now = clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", settings.issuer().toString());
		claims.put("sub", session.json().get("user").get("id").asString());
		claims.put("aud", settings.audience());
		claims.put("iat", now);
		claims.put("nbf", now);
		claims.put("exp", now + 600);
		claims.put("jti", "at_fuzz" + now);
		claims.put("sid", session.text("session_id"));
		claims.put("email", session.json().get("user").get("email").asString());
		claims.put("email_verified", false);
		claims.put("amr", List.of("pwd"));
		claims.put("auth_time", now);
		return claims;
	}

	static String sign(SigningKeys keys, Map<String, Object> claims) throws Exception {
		SigningKey key = keys.active();
		JWSObject jws = new JWSObject(ForgedTokens.header(key.algorithm(), key.kid()), new Payload(claims));
		jws.sign(new RSASSASigner(key.jwk().toRSAKey()));
		return jws.serialize();
	}

	private record Case(String name, Consumer<Map<String, Object>> change) {
	}

	private static Case set(String claim, Object value) {
		return new Case(claim + "=" + describe(value), c -> c.put(claim, value));
	}

	private static Case missing(String claim) {
		return new Case("no " + claim, c -> c.remove(claim));
	}

	private static Case shift(String claim, String relativeTo, long seconds) {
		return new Case(claim + "=" + relativeTo + (seconds < 0 ? "" : "+") + seconds,
				c -> c.put(claim, ((Number) c.get(relativeTo)).longValue() + seconds));
	}

	private static String describe(Object value) {
		return value instanceof String s ? "\"" + s.replace("\u0000", "\\0").replaceAll("\\p{Cntrl}", "^") + "\""
				: String.valueOf(value);
	}

	/** Every variant that must be refused. */
	private static List<Case> invalid() {
		List<Case> cases = new ArrayList<>(List.of(
				// times in every wrong order
				shift("exp", "iat", 0), shift("exp", "iat", -1), shift("exp", "iat", -600),
				shift("nbf", "exp", 0), shift("nbf", "exp", 1), shift("nbf", "iat", 600),
				shift("iat", "iat", 600), new Case("exp and iat in the past", c -> {
					c.put("iat", ((Number) c.get("iat")).longValue() - 7200);
					c.put("nbf", c.get("iat"));
					c.put("exp", ((Number) c.get("iat")).longValue() + 600);
				}), shift("exp", "iat", -7200)));
		// every required claim missing
		for (String claim : List.of("iss", "sub", "aud", "exp", "iat", "jti", "sid")) {
			cases.add(missing(claim));
		}
		// every claim of another JSON type
		cases.addAll(List.of(set("sub", 42), set("sub", List.of("usr_x")), set("sub", Map.of("id", "x")),
				set("sub", true), set("sid", 42), set("sid", List.of()), set("sid", Map.of()), set("jti", 7),
				set("exp", "soon"), set("exp", true), set("exp", List.of(1)), set("iat", "now"), set("iat", Map.of()),
				set("nbf", "later"), set("iss", 1), set("aud", 2), set("aud", Map.of("a", 1)),
				set("amr", "pwd"), set("amr", List.of(1)), set("amr", Map.of()), set("auth_time", "yesterday"),
				set("auth_time", List.of()), set("email_verified", "true"), set("email_verified", 1),
				set("email", 5), set("email", List.of("a@example.com")), set("org_id", 3), set("org_slug", false),
				set("org_role", List.of("owner")), set("org_permissions", "org:read"),
				set("org_permissions", List.of(1, 2)), set("scope", 9)));
		// NUL and control characters, and text that is no identifier
		for (String claim : List.of("sub", "sid", "jti")) {
			cases.add(new Case(claim + " with NUL", c -> c.put(claim, c.get(claim) + "\u0000")));
			cases.add(new Case(claim + " with line feed", c -> c.put(claim, c.get(claim) + "\nx")));
			cases.add(new Case(claim + " with DEL", c -> c.put(claim, "\u007f" + c.get(claim))));
			cases.add(new Case(claim + " with space", c -> c.put(claim, c.get(claim) + " ")));
			cases.add(set(claim, ""));
			cases.add(set(claim, "x".repeat(300)));
		}
		cases.addAll(List.of(set("email", "a\u0000@example.com"), set("email", "a@example.com\r\nBcc: b"),
				set("org_slug", "a\tb"), set("amr", List.of("pwd\u0000")), set("unknown", "\u0001"),
				set("nested", Map.of("k", "v\u0000"))));
		// sessions that are not the subject's
		cases.addAll(List.of(set("sid", "ses_00000000000000000000000000"), set("sid", "ses_'or'1'='1"),
				set("sub", "usr_00000000000000000000000000")));
		return cases;
	}

	/** Variants that are valid: Plinto's own shape and the optional claims left out. */
	private static List<Case> validVariants() {
		return List.of(new Case("as issued", c -> { }), missing("nbf"), missing("email"), missing("email_verified"),
				missing("amr"), missing("auth_time"), shift("exp", "iat", 1), shift("nbf", "iat", -30),
				shift("iat", "iat", -30), shift("iat", "iat", 30), set("org_permissions", List.of()));
	}

	/** Sends every invalid variant for this session; returns those not refused with 401 {@code invalid_token}. */
	static List<String> notRefused(ApiClient api, ApiClient.Response session, SigningKeys keys,
			PlintoSettings settings, Clock clock) throws Exception {
		List<String> failures = new ArrayList<>();
		for (Case c : invalid()) {
			Map<String, Object> claims = valid(session, settings, clock);
			c.change().accept(claims);
			ApiClient.Response r = api.get("/v1/me", sign(keys, claims));
			if (r.status() != 401 || !"invalid_token".equals(r.code())) {
				failures.add(c.name() + " -> " + r.status() + " " + r.code());
			}
		}
		return failures;
	}

	@Test
	void meWhenSignedWithTheRealKeyAndAnyClaimInvalidThenInvalidTokenNeverServerError() throws Exception {
		List<String> failures = notRefused(api, signUp(newEmail()), keys, settings, clock);

		assertThat(failures).as("of %d variants, these were not refused with 401 invalid_token", invalid().size())
			.isEmpty();
	}

	@Test
	void meWhenSignedWithTheRealKeyAndClaimsValidThenOk() throws Exception {
		ApiClient.Response session = signUp(newEmail());
		List<String> failures = new ArrayList<>();
		for (Case c : validVariants()) {
			Map<String, Object> claims = valid(session);
			c.change().accept(claims);
			ApiClient.Response r = api.get("/v1/me", sign(claims));
			if (r.status() != 200) {
				failures.add(c.name() + " -> " + r.status() + " " + r.code());
			}
		}
		assertThat(failures).as("valid variants refused").isEmpty();
	}

	@Test
	void meWhenSidIsAnotherUsersLiveSessionThenInvalidToken() throws Exception {
		ApiClient.Response mine = signUp(newEmail());
		ApiClient.Response theirs = signUp(newEmail());
		// Their session is known to this node already, so the refusal does not depend on a fresh lookup.
		assertThat(api.get("/v1/me", theirs.text("access_token")).status()).isEqualTo(200);
		Map<String, Object> claims = valid(mine);
		claims.put("sid", theirs.text("session_id"));

		ApiClient.Response r = api.get("/v1/me", sign(claims));

		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_token");
		assertThat(api.get("/v1/me", theirs.text("access_token")).status()).as("their own token still works")
			.isEqualTo(200);
	}

	@Test
	void meWhenSubIsAnotherUserWithTheirSidUnknownToThisNodeYetThenInvalidToken() throws Exception {
		ApiClient.Response mine = signUp(newEmail());
		ApiClient.Response theirs = signUp(newEmail());
		Map<String, Object> claims = valid(mine);
		claims.put("sub", theirs.json().get("user").get("id").asString());

		ApiClient.Response r = api.get("/v1/me", sign(claims));

		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_token");
	}

	@Test
	void meWhenSessionSignedOutThenItsValidlySignedTokenIsRefused() throws Exception {
		ApiClient.Response session = signUp(newEmail());
		String token = sign(valid(session));
		assertThat(api.get("/v1/me", token).status()).isEqualTo(200);

		assertThat(api.post("/v1/sign-out", Map.of(), session.text("access_token")).status()).isBetween(200, 204);

		assertThat(api.get("/v1/me", token).status()).isEqualTo(401);
	}

	/** Base64url with its '=' padding, as a lenient encoder writes it (four '=' when none is due, still not canonical). */
	private static String padded(String part) {
		int missing = (4 - part.length() % 4) % 4;
		return part + "=".repeat(missing == 0 ? 4 : missing);
	}

	@Test
	void meWhenAnyPartIsNotCanonicalBase64UrlThenInvalidToken() throws Exception {
		ApiClient.Response session = signUp(newEmail());
		String token = sign(valid(session));
		assertThat(api.get("/v1/me", token).status()).as("the control").isEqualTo(200);
		String[] parts = token.split("\\.");
		String signature = parts[2];
		String standardAlphabet = signature.replace('-', '+').replace('_', '/');
		assertThat(standardAlphabet).as("an RS256 signature has a '-' or '_' but for 1 in 50,000")
			.isNotEqualTo(signature);
		char last = signature.charAt(signature.length() - 1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		// 256 signature bytes leave 4 unused bits in the last character; setting one keeps the bytes the same.
		String otherTrailingBits = signature.substring(0, signature.length() - 1)
				+ alphabet.charAt(alphabet.indexOf(last) | 1);

		Map<String, String> variants = new LinkedHashMap<>();
		variants.put("signature in the standard alphabet", parts[0] + "." + parts[1] + "." + standardAlphabet);
		variants.put("signature padded", token + "==");
		variants.put("signature with other unused bits", parts[0] + "." + parts[1] + "." + otherTrailingBits);
		variants.put("payload padded", parts[0] + "." + padded(parts[1]) + "." + parts[2]);
		variants.put("header padded", parts[0] + "=" + "." + parts[1] + "." + parts[2]);
		variants.put("a fourth part", token + ".e30");
		variants.put("whitespace inside", parts[0] + "." + parts[1] + ".\t" + parts[2]);

		List<String> failures = new ArrayList<>();
		for (Map.Entry<String, String> v : variants.entrySet()) {
			ApiClient.Response r = api.get("/v1/me", v.getValue());
			if (r.status() != 401 || !"invalid_token".equals(r.code())) {
				failures.add(v.getKey() + " -> " + r.status() + " " + r.code());
			}
		}
		assertThat(failures).isEmpty();
	}
}
