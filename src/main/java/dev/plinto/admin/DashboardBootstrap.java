package dev.plinto.admin;

import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first administrator, without a default account or password: when the server starts and no account holds
 * {@code admin} or {@code owner}, it prints a bootstrap link once in its log ({@code /admin/bootstrap?token=…}).
 * Opening it in a signed-in browser and confirming gives that account the {@code admin} role (audited as
 * {@code admin.role_granted} by {@code bootstrap}); the dashboard then asks it to set up a second factor.
 * <ul>
 * <li>No default credentials (OWASP Top 10 2021 A07 "Identification and Authentication Failures": default
 * credentials; ASVS 4.0.3 V2.5.4 "no default user accounts"): the link is the only way in besides
 * {@code plinto admin grant}, which needs the database.</li>
 * <li>The token is 256 random bits, single use, expires after {@link #LIFETIME}, and only its SHA-256 hash is
 * stored (ASVS 4.0.3 V2.3.1: system-generated activation secrets are random and expire; OWASP Password Storage
 * Cheat Sheet: high-entropy tokens need only a fast hash). It is printed in the log on purpose, once: whoever reads
 * the log of a fresh installation is its operator. While a printed link is still valid, a restart prints nothing;
 * once it has expired unused, the next start prints a new one.</li>
 * <li>It stops working as soon as any administrator exists, however that one was made, and confirming is a POST
 * with the pages' CSRF token, so a prefetching mail scanner or a forged link cannot spend it (OWASP CSRF Prevention
 * Cheat Sheet).</li>
 * </ul>
 */
@Component
public final class DashboardBootstrap {

	private static final Logger log = LoggerFactory.getLogger(DashboardBootstrap.class);

	/** How long a printed link stays valid. */
	static final Duration LIFETIME = Duration.ofHours(24);

	private final JdbcClient jdbc;

	private final DashboardRoles roles;

	private final Clock clock;

	private final PlintoSettings settings;

	private final TransactionTemplate tx;

	DashboardBootstrap(DataSource dataSource, DashboardRoles roles, Clock clock, PlintoSettings settings,
			PlatformTransactionManager transactions) {
		this.jdbc = JdbcClient.create(dataSource);
		this.roles = roles;
		this.clock = clock;
		this.settings = settings;
		this.tx = new TransactionTemplate(transactions);
	}

	@EventListener(ApplicationReadyEvent.class)
	void printLinkWhenNoAdministrator() {
		issue().ifPresent(token -> log.warn("No administrator exists yet. To make your account the first one, sign in "
				+ "and open, within {} hours: {}{}?token={} (single use; or run: plinto admin grant EMAIL)",
				LIFETIME.toHours(), settings.issuer().toString().replaceAll("/$", ""), AdminPageRoutes.BOOTSTRAP, token));
	}

	/** A new link's token, when no administrator exists and no link printed earlier is still valid. */
	java.util.Optional<String> issue() {
		if (roles.anyAdministrator()) {
			return java.util.Optional.empty();
		}
		Instant now = clock.instant();
		long live = jdbc.sql("select count(*) from admin_bootstrap_tokens where used_at is null and expires_at > ?")
			.param(Timestamp.from(now))
			.query(Long.class)
			.single();
		if (live > 0) {
			return java.util.Optional.empty();
		}
		String token = SecureTokens.newSecret();
		jdbc.sql("insert into admin_bootstrap_tokens (token_hash, created_at, expires_at) values (?, ?, ?)")
			.params(SecureTokens.hash(token), Timestamp.from(now), Timestamp.from(now.plus(LIFETIME)))
			.update();
		return java.util.Optional.of(token);
	}

	/** Whether a link may still be confirmed: known, unused, unexpired, and no administrator exists yet. */
	public boolean usable(String token) {
		if (token == null || token.isBlank() || roles.anyAdministrator()) {
			return false;
		}
		return jdbc.sql("select count(*) from admin_bootstrap_tokens where token_hash = ? and used_at is null "
				+ "and expires_at > ?")
			.params(SecureTokens.hash(token), Timestamp.from(clock.instant()))
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Spends the link and makes {@code userId} an administrator, in one transaction; false when the link is unknown,
	 * used, expired or an administrator exists already (then nothing changes). Every other link is spent with it.
	 */
	public boolean redeem(String token, String userId, ClientInfo client) {
		if (token == null || token.isBlank()) {
			return false;
		}
		Boolean done = tx.execute(status -> {
			Instant now = clock.instant();
			int spent = jdbc.sql("update admin_bootstrap_tokens set used_at = ?, used_by = ? where token_hash = ? "
					+ "and used_at is null and expires_at > ?")
				.params(Timestamp.from(now), userId, SecureTokens.hash(token), Timestamp.from(now))
				.update();
			if (spent != 1 || roles.anyAdministrator()) {
				status.setRollbackOnly();
				return false;
			}
			jdbc.sql("update admin_bootstrap_tokens set used_at = ? where used_at is null")
				.param(Timestamp.from(now))
				.update();
			roles.grantTo(userId, DashboardRole.ADMIN, "bootstrap", client);
			return true;
		});
		return Boolean.TRUE.equals(done);
	}
}
