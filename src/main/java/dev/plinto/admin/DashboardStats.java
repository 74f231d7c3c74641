package dev.plinto.admin;

import dev.plinto.audit.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The numbers of the dashboard's overview, one call each, for the page and for the Backend API's
 * {@code GET /v1/admin/stats}:
 * daily, weekly and monthly active users (distinct users with a session active in the last 1, 7 and 30 days, as
 * {@code session.ActiveUsers} counts DAU), sign-ups, sign-ins and failed sign-ins per UTC day with their method or
 * reason (from the audit log's {@code sign_up}, {@code sign_in.succeeded}, {@code sign_in.failed} and
 * {@code sign_in.locked} events, whose detail names the method or the reason), new accounts per day, MFA adoption
 * (accounts with a confirmed authenticator app or a passkey, over all accounts) and live sessions. Read-only
 * aggregate queries over the indexed time columns; no personal data leaves this class.
 */
@Component
public final class DashboardStats {

	/** How many days the daily series cover, today (UTC) included. */
	public static final int DAYS = 30;

	/**
	 * The most days one call covers (two aggregate queries a day): a quarter, beyond which a caller reads the audit
	 * log or its export instead.
	 */
	public static final int MAX_DAYS = 90;

	private final JdbcClient jdbc;

	private final Clock clock;

	DashboardStats(DataSource dataSource, Clock clock) {
		this.jdbc = JdbcClient.create(dataSource);
		this.clock = clock;
	}

	/** Active users: distinct users with a session active within the last day, week and 30 days. */
	public record ActiveUsers(long daily, long weekly, long monthly) {
	}

	/** MFA adoption: accounts with a second factor, all accounts, and the share in per cent (0 without accounts). */
	public record MfaAdoption(long withSecondFactor, long users, double percent) {
	}

	/**
	 * One UTC day: sign-ups, successful and failed sign-ins (locked accounts counted as failures), new accounts,
	 * the sign-ins by method, the failures by reason and the sign-ups by method ({@link #signUpMethod}).
	 */
	public record Day(LocalDate date, long signUps, long signIns, long failures, long newUsers,
			Map<String, Long> signInsByMethod, Map<String, Long> failuresByReason,
			Map<String, Long> signUpsByMethod) {
	}

	/** Everything the overview shows. */
	public record Overview(Instant at, ActiveUsers active, MfaAdoption mfa, long liveSessions, long users,
			List<Day> days) {
	}

	public Overview overview() {
		return overview(DAYS);
	}

	/** The overview with the last {@code days} UTC days (1 to {@link #MAX_DAYS}), oldest first, today included. */
	public Overview overview(int days) {
		Instant now = clock.instant();
		return new Overview(now, activeUsers(now), mfaAdoption(), liveSessions(now), users(), days(now, days));
	}

	public ActiveUsers activeUsers(Instant now) {
		return new ActiveUsers(activeSince(now.minus(Duration.ofDays(1))), activeSince(now.minus(Duration.ofDays(7))),
				activeSince(now.minus(Duration.ofDays(30))));
	}

	private long activeSince(Instant since) {
		return jdbc.sql("select count(distinct user_id) from sessions where last_active_at >= ?")
			.param(java.sql.Timestamp.from(since))
			.query(Long.class)
			.single();
	}

	public MfaAdoption mfaAdoption() {
		long users = users();
		long with = jdbc.sql("""
				select count(*) from users u where exists (select 1 from totp_factors t where t.user_id = u.id
				and t.confirmed_at is not null) or exists (select 1 from passkeys p where p.user_id = u.id)""")
			.query(Long.class)
			.single();
		return new MfaAdoption(with, users, users == 0 ? 0 : Math.round(with * 1000.0 / users) / 10.0);
	}

	public long liveSessions(Instant now) {
		return jdbc.sql("select count(*) from sessions where revoked_at is null and expires_at > ?")
			.param(java.sql.Timestamp.from(now))
			.query(Long.class)
			.single();
	}

	public long users() {
		return jdbc.sql("select count(*) from users").query(Long.class).single();
	}

	/** The last {@link #DAYS} UTC days, oldest first, today included. */
	public List<Day> days(Instant now) {
		return days(now, DAYS);
	}

	/** The last {@code count} UTC days (1 to {@link #MAX_DAYS}), oldest first, today included. */
	public List<Day> days(Instant now, int count) {
		if (count < 1 || count > MAX_DAYS) {
			throw new IllegalArgumentException("days must be from 1 to " + MAX_DAYS);
		}
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		List<Day> days = new ArrayList<>();
		for (int i = count - 1; i >= 0; i--) {
			days.add(day(today.minusDays(i)));
		}
		return days;
	}

	private Day day(LocalDate date) {
		java.sql.Timestamp from = java.sql.Timestamp.from(date.atStartOfDay(ZoneOffset.UTC).toInstant());
		java.sql.Timestamp to = java.sql.Timestamp.from(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
		Map<String, Long> methods = new TreeMap<>();
		Map<String, Long> reasons = new TreeMap<>();
		Map<String, Long> signUps = new TreeMap<>();
		jdbc.sql("""
				select type, detail, count(*) as n from audit_events where occurred_at >= ? and occurred_at < ?
				and type in (?, ?, ?, ?) group by type, detail""")
			.params(from, to, AuditEvent.Type.SIGN_UP.name(), AuditEvent.Type.SIGN_IN_SUCCEEDED.name(),
					AuditEvent.Type.SIGN_IN_FAILED.name(), AuditEvent.Type.SIGN_IN_LOCKED.name())
			.query(rs -> {
				String type = rs.getString("type");
				String detail = label(rs.getString("detail"));
				long n = rs.getLong("n");
				if (type.equals(AuditEvent.Type.SIGN_UP.name())) {
					signUps.merge(signUpMethod(rs.getString("detail")), n, Long::sum);
				}
				else if (type.equals(AuditEvent.Type.SIGN_IN_SUCCEEDED.name())) {
					methods.merge(detail, n, Long::sum);
				}
				else if (type.equals(AuditEvent.Type.SIGN_IN_LOCKED.name())) {
					reasons.merge("locked", n, Long::sum);
				}
				else {
					reasons.merge(detail, n, Long::sum);
				}
			});
		long newUsers = jdbc.sql("select count(*) from users where created_at >= ? and created_at < ?")
			.params(from, to)
			.query(Long.class)
			.single();
		return new Day(date, signUps.values().stream().mapToLong(Long::longValue).sum(),
				methods.values().stream().mapToLong(Long::longValue).sum(),
				reasons.values().stream().mapToLong(Long::longValue).sum(), newUsers, Map.copyOf(methods),
				Map.copyOf(reasons), Map.copyOf(signUps));
	}

	/**
	 * How an account was signed up, from the detail its {@code sign_up} event records: {@code password} (none, the
	 * sign-up form and {@code POST /v1/sign-up}), {@code email} (an emailed code or link, with
	 * {@code PLINTO_EMAIL_SIGN_UP}), {@code invitation} ({@code invitation inv_…}: accepting an invitation),
	 * {@code enterprise} ({@code connection:…}: an organization's OIDC or SAML connection), {@code scim}
	 * ({@code scim conn_…}: provisioned by an organization's identity provider), and {@code social} for the key of a
	 * social or other OIDC/OAuth 2 provider (e.g. {@code google}). Passkeys are added to an existing account, and
	 * imported and operator-created accounts are recorded as {@code users.imported} and {@code user.created}, not
	 * as sign-ups: they count among the day's new accounts only.
	 */
	static String signUpMethod(String detail) {
		if (detail == null || detail.isBlank()) {
			return "password";
		}
		String d = detail.strip();
		if (d.equals("email")) {
			return "email";
		}
		if (d.startsWith("invitation ")) {
			return "invitation";
		}
		if (d.startsWith("connection:")) {
			return "enterprise";
		}
		if (d.startsWith("scim ")) {
			return "scim";
		}
		return "social";
	}

	/**
	 * The method or reason of an audit detail: its first words up to a digit-bearing identifier (details like
	 * {@code invitation inv_…} name an object after the method), at most 40 characters; {@code password} when the
	 * detail is empty (the password sign-in records none).
	 */
	static String label(String detail) {
		if (detail == null || detail.isBlank()) {
			return "password";
		}
		StringBuilder label = new StringBuilder();
		for (String word : detail.trim().split("\\s+")) {
			if (word.matches(".*\\d.*") || label.length() + word.length() > 40) {
				break;
			}
			label.append(label.isEmpty() ? "" : " ").append(word);
		}
		return label.isEmpty() ? "other" : label.toString();
	}
}
