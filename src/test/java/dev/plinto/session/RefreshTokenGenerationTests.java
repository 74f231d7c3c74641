package dev.plinto.session;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link RefreshTokenGenerationContract} on H2. */
class RefreshTokenGenerationTests extends ApiTestSupport implements RefreshTokenGenerationContract {

	@Autowired
	private JdbcClient jdbc;

	@Override
	public ApiClient api() {
		return api;
	}

	@Override
	public JdbcClient jdbc() {
		return jdbc;
	}

	@Override
	public Instant now() {
		return clock.instant();
	}

	@Override
	public ApiClient.Response newSession() {
		return signUp(newEmail());
	}

	@Override
	public ApiClient.Response refresh(String token) {
		return super.refresh(token);
	}
}
