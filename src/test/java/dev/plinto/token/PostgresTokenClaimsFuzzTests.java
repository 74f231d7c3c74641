package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.PostgresApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The claim variants of {@link TokenClaimsFuzzTests} on PostgreSQL, which refuses text H2 stores (a NUL in
 * {@code sub} or {@code sid} once reached it as a query parameter and gave a 500): each must still be 401.
 */
class PostgresTokenClaimsFuzzTests extends PostgresApiTestSupport {

	@Autowired
	private SigningKeys keys;

	@Autowired
	private PlintoSettings settings;

	@Test
	void meWhenSignedWithTheRealKeyAndAnyClaimInvalidOnPostgresThenInvalidTokenNeverServerError() throws Exception {
		List<String> failures = TokenClaimsFuzzTests.notRefused(api, signUp(newEmail()), keys, settings, clock);

		assertThat(failures).as("variants not refused with 401 invalid_token on PostgreSQL").isEmpty();
	}
}
