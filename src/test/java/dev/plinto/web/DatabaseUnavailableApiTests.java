package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The database becomes unreachable under a running server (its connection pool closed, as every connection fails
 * while PostgreSQL restarts): a refresh, whose transaction cannot even begin, answers 503 {@code service_unavailable}
 * with {@code Retry-After}, never 500. The server is this class's own and is thrown away afterwards.
 */
@TestPropertySource(properties = "PLINTO_APP_NAME=Plinto without a database")
@DirtiesContext
class DatabaseUnavailableApiTests extends ApiTestSupport {

	@Autowired
	private HikariDataSource dataSource;

	@Test
	void refreshWhenNoDatabaseConnectionThenServiceUnavailable() {
		String refreshToken = signUp(newEmail()).text("refresh_token");
		dataSource.close();

		ApiClient.Response r = refresh(refreshToken);

		assertThat(r.status()).as(r.toString()).isEqualTo(503);
		assertThat(r.code()).isEqualTo("service_unavailable");
		assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
	}
}
