package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.NativeCrypto;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rotation is one transaction with what listens to it: the new key, its audit event and the {@code key.rotated}
 * webhook event (written by a listener of {@link KeyRotated}) commit together, and a failing listener leaves no key
 * and no audit event behind (the transactional outbox of docs/webhooks.md).
 */
class KeyRotationTransactionTests {

	private HikariDataSource dataSource;

	private JdbcClient jdbc;

	private final List<Object> published = new ArrayList<>();

	private boolean listenerFails;

	private SigningKeys keys;

	@BeforeEach
	void keys() {
		dataSource = TestDatabases.h2();
		jdbc = JdbcClient.create(dataSource);
		Clock clock = Clock.systemUTC();
		keys = new SigningKeys(new JdbcSigningKeyRepository(jdbc, new SecretBox(SecureTokens.randomBytes(32))), clock,
				PlintoSettings.parse(Map.<String, String>of()::get), AuditLog.of(dataSource),
				event -> {
					assertThat(TransactionSynchronizationManager.isActualTransactionActive())
						.as("the listener runs in the rotation's transaction")
						.isTrue();
					if (listenerFails) {
						throw new IllegalStateException("the listener's write failed");
					}
					published.add(event);
				}, new TransactionTemplate(new JdbcTransactionManager(dataSource)), NativeCrypto.jdk());
		keys.initialize();
	}

	@AfterEach
	void close() {
		dataSource.close();
	}

	@Test
	void rotateWhenTheListenerSucceedsThenKeyAuditAndEventTogether() {
		SigningKey next = keys.rotate(false);

		assertThat(published).singleElement().isInstanceOfSatisfying(KeyRotated.class,
				e -> assertThat(e.kid()).isEqualTo(next.kid()));
		assertThat(count("signing_keys")).isEqualTo(2);
		assertThat(keys.published()).extracting(SigningKey::kid).contains(next.kid());
	}

	@Test
	void rotateWhenTheListenerFailsThenNoKeyAndNoAuditEvent() {
		long auditBefore = count("audit_events");
		listenerFails = true;

		assertThatThrownBy(() -> keys.rotate(false)).hasMessageContaining("the listener's write failed");

		assertThat(count("signing_keys")).isEqualTo(1);
		assertThat(count("audit_events")).isEqualTo(auditBefore);
		assertThat(keys.published()).hasSize(1);
	}

	private long count(String table) {
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}
}
