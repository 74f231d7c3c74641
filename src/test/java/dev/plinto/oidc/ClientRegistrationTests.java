package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The switch and the initial access token of dynamic client registration: off by default, a wrong setting or a
 * missing or short token stops the start with a sentence, and only the configured token is accepted.
 */
class ClientRegistrationTests {

	private static final String TOKEN = "an-initial-access-token-of-40-characters!";

	@Test
	void fromWhenNothingSetThenOffAndNoTokenAccepted() {
		ClientRegistration registration = ClientRegistration.from(new MockEnvironment());
		assertThat(registration.enabled()).isFalse();
		assertThat(registration.accepts(TOKEN)).isFalse();
	}

	@Test
	void fromWhenOnWithoutAUsableTokenThenTheStartStopsWithTheRule() {
		assertThatThrownBy(() -> ClientRegistration.from(new MockEnvironment()
			.withProperty("PLINTO_OIDC_REGISTRATION", "true"))).hasMessageContaining("PLINTO_OIDC_REGISTRATION_TOKEN");
		assertThatThrownBy(() -> ClientRegistration.from(new MockEnvironment()
			.withProperty("PLINTO_OIDC_REGISTRATION", "true")
			.withProperty("PLINTO_OIDC_REGISTRATION_TOKEN", "too-short"))).hasMessageContaining("at least 32");
		assertThatThrownBy(() -> ClientRegistration.from(new MockEnvironment()
			.withProperty("PLINTO_OIDC_REGISTRATION", "yes"))).hasMessageContaining("true or false");
	}

	@Test
	void acceptsWhenOnThenOnlyTheConfiguredToken() {
		ClientRegistration registration = ClientRegistration.from(new MockEnvironment()
			.withProperty("PLINTO_OIDC_REGISTRATION", "TRUE")
			.withProperty("PLINTO_OIDC_REGISTRATION_TOKEN", TOKEN));
		assertThat(registration.enabled()).isTrue();
		assertThat(registration.accepts(TOKEN)).isTrue();
		assertThat(registration.accepts(TOKEN + "x")).isFalse();
		assertThat(registration.accepts(TOKEN.substring(1))).isFalse();
		assertThat(registration.accepts("")).isFalse();
		assertThat(registration.accepts(null)).isFalse();
	}
}
