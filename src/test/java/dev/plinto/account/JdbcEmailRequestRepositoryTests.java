package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.account.EmailRequestQueue.Purpose;
import dev.plinto.account.EmailRequestRepository.EmailRequest;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcEmailRequestRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		EmailRequestRepository requests;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepository() {
			// findOldest reads the whole queue, so each test starts from an empty one.
			jdbc.sql("delete from email_requests").update();
			requests = new JdbcEmailRequestRepository(jdbc);
		}

		static EmailRequest newRequest(Purpose purpose) {
			return new EmailRequest(SecureTokens.newId("req"), purpose, "user-" + UUID.randomUUID() + "@example.com",
					new ClientInfo("203.0.113.7", "Mozilla/5.0 (test)"));
		}

		@Test
		void findOldestWhenSeveralStoredThenOldestFirstUpToTheLimitWithAllFields() {
			EmailRequest newest = newRequest(Purpose.EMAIL_VERIFICATION);
			EmailRequest oldest = newRequest(Purpose.PASSWORD_RESET);
			EmailRequest middle = newRequest(Purpose.EMAIL_VERIFICATION);
			requests.insert(newest, T0.plus(Duration.ofMinutes(2)));
			requests.insert(oldest, T0);
			requests.insert(middle, T0.plus(Duration.ofMinutes(1)));

			assertThat(requests.findOldest(2)).containsExactly(oldest, middle);
		}

		@Test
		void deleteWhenCalledTwiceThenOnlyTheFirstFindsTheRequest() {
			EmailRequest request = newRequest(Purpose.PASSWORD_RESET);
			requests.insert(request, T0);

			assertThat(requests.delete(request.id())).isTrue();
			assertThat(requests.delete(request.id())).isFalse();
			assertThat(requests.findOldest(10)).isEmpty();
		}

		@Test
		void deleteRequestedBeforeWhenOlderAndNewerRequestsThenOnlyOlderDeleted() {
			EmailRequest old = newRequest(Purpose.PASSWORD_RESET);
			EmailRequest recent = newRequest(Purpose.EMAIL_VERIFICATION);
			requests.insert(old, T0);
			requests.insert(recent, T0.plus(Duration.ofDays(1)));

			assertThat(requests.deleteRequestedBefore(T0.plus(Duration.ofDays(1)))).isEqualTo(1);
			assertThat(requests.findOldest(10)).containsExactly(recent);
		}
	}

	@Nested
	class OnH2 extends Contract {
		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {
		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
