package dev.plinto.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** Audit events older than PLINTO_AUDIT_RETENTION are deleted; 0s keeps them all. */
class AuditRetentionTests {

	private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

	private static PlintoSettings settings(String retention) {
		Map<String, String> env = Map.of("PLINTO_AUDIT_RETENTION", retention);
		return PlintoSettings.parse(env::get);
	}

	/** A repository that answers deletes with the given counts and records each cutoff it was asked for. */
	private static final class Deletes implements AuditRepository {

		final List<Integer> answers;

		final List<Instant> cutoffs = new ArrayList<>();

		Deletes(Integer... answers) {
			this.answers = new ArrayList<>(List.of(answers));
		}

		@Override
		public void insert(AuditEvent event) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<AuditEvent> findByUser(String userId, Instant beforeTime, String beforeId, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int deleteOlderThan(Instant cutoff, int limit) {
			assertThat(limit).isEqualTo(AuditRetention.BATCH);
			cutoffs.add(cutoff);
			return answers.remove(0);
		}
	}

	@Test
	void purgeWhenManyOldEventsThenDeletesBatchAfterBatchUntilAShortOne() {
		Deletes repository = new Deletes(AuditRetention.BATCH, AuditRetention.BATCH, 3);
		AuditRetention retention = new AuditRetention(repository, Clock.fixed(NOW, ZoneOffset.UTC), settings("90d"));

		assertThat(retention.purge()).isEqualTo(2L * AuditRetention.BATCH + 3);
		assertThat(repository.cutoffs).hasSize(3).containsOnly(NOW.minus(Duration.ofDays(90)));
	}

	@Test
	void purgeWhenRetentionZeroThenNothingIsDeleted() {
		Deletes repository = new Deletes();
		AuditRetention retention = new AuditRetention(repository, Clock.fixed(NOW, ZoneOffset.UTC), settings("0s"));

		assertThat(retention.purge()).isZero();
		assertThat(repository.cutoffs).isEmpty();
	}

	/** End to end on the server's database: an old sign-up event goes, the recent sign-in stays. */
	@Nested
	@TestPropertySource(properties = { "PLINTO_AUDIT_RETENTION=30d", "plinto.scheduling.enabled=false" })
	class OnTheServer extends ApiTestSupport {

		@Autowired
		AuditRetention retention;

		@Autowired
		JdbcClient jdbc;

		@Test
		void purgeWhenEventOlderThanRetentionThenDeletedAndRecentOnesKept() {
			String email = newEmail();
			String userId = signUp(email).json().get("user").get("id").asString();
			clock.advance(Duration.ofDays(30).plusSeconds(1));
			assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);

			assertThat(retention.purge()).isPositive();

			assertThat(jdbc.sql("select type from audit_events where user_id = :user").param("user", userId)
				.query(String.class).list()).containsExactly("SIGN_IN_SUCCEEDED");
			assertThat(retention.purge()).isZero();
		}
	}
}
