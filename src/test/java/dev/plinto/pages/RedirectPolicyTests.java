package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.config.PlintoSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which {@code redirect_url} a page follows, and that nothing else can turn it into an open redirect. */
class RedirectPolicyTests {

	private static final String FALLBACK = "https://app.example.com/home";

	private final RedirectPolicy policy = new RedirectPolicy(PlintoSettings.parse(Map.of(
			"PLINTO_ISSUER", "https://auth.example.com", "PLINTO_DATA_DIR", "target/test-data",
			"PLINTO_AFTER_SIGN_IN_URL", FALLBACK,
			"PLINTO_REDIRECT_URLS", "https://app.example.com/after/, https://admin.example.com, http://localhost:3000")::get));

	@ParameterizedTest
	@ValueSource(strings = { "https://app.example.com/after/", "https://app.example.com/after/x?y=1#z",
			"https://APP.example.com/after/deep/path", "https://app.example.com:443/after/x",
			"https://admin.example.com/", "https://admin.example.com/anything", "http://localhost:3000/cb",
			"/account", "https://auth.example.com/account", "https://app.example.com/home" })
	void targetWhenAllowedThenFollowed(String url) {
		assertThat(policy.allowedTarget(url)).as(url).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://evil.example/", "https://app.example.com/afterlife", "https://app.example.com/",
			"http://app.example.com/after/", "https://app.example.com:8443/after/", "//evil.example/after/",
			"/\\evil.example", "\\\\evil.example", "https://app.example.com@evil.example/after/",
			"https://evil.example@app.example.com/after/", "https://app.example.com/after/../admin",
			"https://app.example.com/after/%2e%2e/admin", "https://app.example.com/after%2f..%2fadmin",
			"javascript:alert(1)", "data:text/html,x", "https://admin.example.com.evil.example/",
			"https://sub.admin.example.com/", "http://localhost:3001/cb", "relative/path", " https://admin.example.com/",
			"https://admin.example.com/\tx", "" })
	void targetWhenNotAllowedThenTheAfterSignInUrl(String url) {
		assertThat(policy.allowedTarget(url)).as(url).isEmpty();
		assertThat(policy.target(url)).isEqualTo(URI.create(FALLBACK));
	}

	@Test
	void targetWhenNoneGivenThenTheAfterSignInUrl() {
		assertThat(policy.target(null)).isEqualTo(URI.create(FALLBACK));
	}

	@Test
	void originsWhenListedThenEveryAllowedOriginForFormAction() {
		assertThat(policy.origins()).contains("https://app.example.com", "https://admin.example.com",
				"http://localhost:3000", "https://auth.example.com");
	}
}
