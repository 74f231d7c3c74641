package dev.plinto.admin;

import dev.plinto.account.User;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who holds an instance role ({@link DashboardRole}, the column {@code users.instance_role}), and granting and
 * withdrawing one ({@code plinto admin grant|revoke}, the bootstrap link). Every grant and withdrawal is audited
 * ({@code admin.role_granted}, {@code admin.role_revoked}) on the account that gains or loses the role, with the
 * actor in the detail. The role is read from the database on every dashboard request, never from a token, so a
 * withdrawal takes effect at the next page (OWASP Authorization Cheat Sheet, "Validate the permissions on every
 * request").
 */
@Component
public final class DashboardRoles {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	DashboardRoles(DataSource dataSource, AuditLog audit, PlatformTransactionManager transactions) {
		this.jdbc = JdbcClient.create(dataSource);
		this.audit = audit;
		this.tx = new TransactionTemplate(transactions);
	}

	/** For the command-line tools, which run without the server. */
	public static DashboardRoles of(DataSource dataSource, PlatformTransactionManager transactions) {
		return new DashboardRoles(dataSource, AuditLog.of(dataSource), transactions);
	}

	/** The instance role of a user; empty without one or for an unknown user. */
	public Optional<DashboardRole> roleOf(String userId) {
		if (userId == null) {
			return Optional.empty();
		}
		return jdbc.sql("select instance_role from users where id = ?")
			.param(userId)
			.query(String.class)
			.optional()
			.flatMap(DashboardRole::of);
	}

	/** Whether any account holds {@code admin} or {@code owner}: without one, the bootstrap link is printed. */
	public boolean anyAdministrator() {
		return jdbc.sql("select count(*) from users where instance_role in ('admin', 'owner')")
			.query(Long.class)
			.single() > 0;
	}

	/** The outcome of a grant or a withdrawal: the account, and its role before. */
	public record Change(String userId, String email, Optional<DashboardRole> before) {
	}

	/**
	 * Gives the account of {@code email} the role; empty when no account has that address. {@code actor} names who
	 * granted it in the audit detail (a user id, {@code cli} or {@code bootstrap}).
	 */
	public Optional<Change> grant(String email, DashboardRole role, String actor, ClientInfo client) {
		return tx.execute(status -> account(email).map(found -> {
			jdbc.sql("update users set instance_role = ? where id = ?").param(role.wireName()).param(found.userId()).update();
			audit.record(AuditEvent.Type.ADMIN_ROLE_GRANTED, found.userId(), null, client,
					"role " + role.wireName() + " by " + actor);
			return found;
		}));
	}

	/** Gives the user the role (the bootstrap link, whose user is signed in). */
	public void grantTo(String userId, DashboardRole role, String actor, ClientInfo client) {
		jdbc.sql("update users set instance_role = ? where id = ?").param(role.wireName()).param(userId).update();
		audit.record(AuditEvent.Type.ADMIN_ROLE_GRANTED, userId, null, client, "role " + role.wireName() + " by " + actor);
	}

	/** Withdraws the instance role of the account of {@code email}; empty when no account has that address. */
	public Optional<Change> revoke(String email, String actor, ClientInfo client) {
		return tx.execute(status -> account(email).map(found -> {
			if (found.before().isEmpty()) {
				return found;
			}
			jdbc.sql("update users set instance_role = null where id = ?").param(found.userId()).update();
			audit.record(AuditEvent.Type.ADMIN_ROLE_REVOKED, found.userId(), null, client,
					"role " + found.before().map(DashboardRole::wireName).orElse("none") + " by " + actor);
			return found;
		}));
	}

	private Optional<Change> account(String email) {
		return jdbc.sql("select id, email, instance_role from users where email = ?")
			.param(User.normalizeEmail(email))
			.query((rs, n) -> new Change(rs.getString("id"), rs.getString("email"),
					DashboardRole.of(rs.getString("instance_role"))))
			.optional();
	}
}
