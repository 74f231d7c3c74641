package dev.plinto.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcAuditRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		AuditRepository audit;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepository() {
			audit = new JdbcAuditRepository(jdbc);
		}

		static AuditEvent event(String id, String userId, AuditEvent.Type type, Instant at) {
			return new AuditEvent(id, type, at, userId, SecureTokens.newId("ses"), "2001:db8::1", "Test/1.0",
					"detail of " + id);
		}

		static List<String> ids(List<AuditEvent> events) {
			return events.stream().map(AuditEvent::id).toList();
		}

		@Test
		void insertWhenEventStoredThenReadBackWithAllFields() {
			String user = SecureTokens.newId("usr");
			AuditEvent e = event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_IN_FAILED, T0);
			audit.insert(e);
			assertThat(audit.findByUser(user, null, null, 10)).containsExactly(e);
		}

		@Test
		void deleteOlderThanWhenOldAndRecentEventsThenOnlyOldOnesGoAtMostLimitAtATime() {
			// Times far before every other test's events, so the counts are this test's alone.
			Instant cutoff = Instant.parse("1999-06-01T00:00:00Z");
			String user = SecureTokens.newId("usr");
			String atCutoff = SecureTokens.newId("evt");
			String recent = SecureTokens.newId("evt");
			audit.insert(event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_IN_FAILED,
					cutoff.minus(Duration.ofDays(400))));
			audit.insert(event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_IN_FAILED, cutoff.minusNanos(1000)));
			audit.insert(event(atCutoff, user, AuditEvent.Type.SIGN_IN_FAILED, cutoff));
			audit.insert(event(recent, user, AuditEvent.Type.SIGN_IN_FAILED, cutoff.plusSeconds(1)));

			assertThat(audit.deleteOlderThan(cutoff, 1)).isEqualTo(1);
			assertThat(audit.deleteOlderThan(cutoff, 10)).isEqualTo(1);
			assertThat(audit.deleteOlderThan(cutoff, 10)).isZero();
			assertThat(ids(audit.findByUser(user, null, null, 10))).containsExactly(recent, atCutoff);
		}

		@Test
		void insertWhenActorGivenThenReadBackWithIt() {
			String user = SecureTokens.newId("usr");
			AuditEvent e = new AuditEvent(SecureTokens.newId("evt"), AuditEvent.Type.USER_BANNED, T0, user, null,
					"203.0.113.9", "curl", null, null, "key_actor");
			audit.insert(e);
			assertThat(audit.findByUser(user, null, null, 10)).containsExactly(e);
		}

		@Test
		void insertWhenNoUserOrSessionThenStoredWithNulls() {
			String id = SecureTokens.newId("evt");
			audit.insert(new AuditEvent(id, AuditEvent.Type.KEY_ROTATED, T0, null, null, null, null, null));
			assertThat(jdbc.sql("select type from audit_events where id = :id").param("id", id).query(String.class)
				.single()).isEqualTo("KEY_ROTATED");
		}

		@Test
		void findByUserWhenSeveralEventsThenNewestFirstAndOtherUsersExcluded() {
			String user = SecureTokens.newId("usr");
			String other = SecureTokens.newId("usr");
			AuditEvent signUp = event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_UP, T0);
			AuditEvent signIn = event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_IN_SUCCEEDED,
					T0.plusNanos(1_000));
			AuditEvent signOut = event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_OUT, T0.plusSeconds(60));
			AuditEvent otherUsers = event(SecureTokens.newId("evt"), other, AuditEvent.Type.SIGN_UP, T0.plusSeconds(30));
			audit.insert(signIn);
			audit.insert(otherUsers);
			audit.insert(signOut);
			audit.insert(signUp);

			assertThat(ids(audit.findByUser(user, null, null, 10))).containsExactly(signOut.id(), signIn.id(),
					signUp.id());
			assertThat(ids(audit.findByUser(other, null, null, 10))).containsExactly(otherUsers.id());
		}

		@Test
		void findByUserWhenPagedWithCursorThenEveryEventOnceInOrderIncludingSameInstantTies() {
			String user = SecureTokens.newId("usr");
			String other = SecureTokens.newId("usr");
			List<AuditEvent> inserted = new ArrayList<>();
			// Seven events: two pairs share an instant, so the id must break the tie.
			Instant[] times = { T0, T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3),
					T0.plusSeconds(3), T0.plus(Duration.ofHours(1)) };
			for (Instant at : times) {
				AuditEvent e = event(SecureTokens.newId("evt"), user, AuditEvent.Type.SIGN_IN_SUCCEEDED, at);
				audit.insert(e);
				inserted.add(e);
				audit.insert(event(SecureTokens.newId("evt"), other, AuditEvent.Type.SIGN_IN_FAILED, at));
			}
			List<AuditEvent> seen = new ArrayList<>();
			List<Integer> pageSizes = new ArrayList<>();
			List<AuditEvent> page = audit.findByUser(user, null, null, 3);
			while (!page.isEmpty() && pageSizes.size() < 10) {
				pageSizes.add(page.size());
				seen.addAll(page);
				AuditEvent last = page.get(page.size() - 1);
				page = audit.findByUser(user, last.occurredAt(), last.id(), 3);
			}

			assertThat(pageSizes).containsExactly(3, 3, 1);
			assertThat(ids(seen)).containsExactlyInAnyOrderElementsOf(ids(inserted));
			assertThat(seen.stream().map(AuditEvent::occurredAt).toList())
				.isSortedAccordingTo(Comparator.reverseOrder());
			assertThat(seen.get(0).occurredAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
		}

		@Test
		void findByUserWhenUnknownUserThenEmpty() {
			assertThat(audit.findByUser(SecureTokens.newId("usr"), null, null, 10)).isEmpty();
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
