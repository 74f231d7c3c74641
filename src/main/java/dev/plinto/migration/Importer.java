package dev.plinto.migration;

import static dev.plinto.platform.SqlRows.timestamp;

import dev.plinto.account.User;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mfa.TotpSecrets;
import dev.plinto.org.Role;
import dev.plinto.org.Slugs;
import dev.plinto.platform.SqlRows;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports users from a source file (docs/migration.md). The file is read one record at a time
 * ({@link SourceReader}) and written in batches, each in one transaction together with the run's progress row
 * ({@code import_runs}): a crash loses at most the batch in flight, {@code --resume} continues after the last
 * committed batch, and a user is never half-imported (the account, its TOTP secret and its memberships commit
 * together). Memory stays at one batch whatever the file's size.
 * <p>
 * A user is found again by the source's id ({@code external_id}), then by email, so re-running the same file
 * changes nothing: identical users count as unchanged; what differs is skipped, updated or stops the import, as
 * {@link OnConflict} says. A record that cannot be imported (no or malformed email, a hash Plinto cannot verify, a
 * duplicate within the file) is refused with its reason and never stops the import. Password hashes are stored,
 * never computed: {@code PasswordHasher} verifies them at sign-in and replaces them by Argon2id then (OWASP Password
 * Storage Cheat Sheet, "Upgrading legacy hashes"). TOTP secrets are sealed with the master key as MFA enrolment
 * seals them (OWASP Cryptographic Storage Cheat Sheet). An import is recorded in the audit log (OWASP Logging Cheat
 * Sheet, "Which events to log": data import).
 */
@Component
public final class Importer {

	/** Stored as the password hash of a user without a password: no value {@code PasswordHasher} verifies. */
	static final String NO_PASSWORD = PasswordHasher.NO_PASSWORD;

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]+$");

	private static final int METADATA_MAX = 8192;

	/** What an import does with a user that already exists and differs from the file. */
	public enum OnConflict {
		/** Leave the existing user as it is. */
		SKIP,
		/** Overwrite it with the file's values (for re-importing changed users before a cut-over). */
		UPDATE,
		/** Stop the import; batches committed before stay. */
		FAIL
	}

	/** How to import: the source, its options, and the flags of {@code plinto import}. */
	public record Options(Source source, Source.Options sourceOptions, boolean dryRun, OnConflict onConflict,
			boolean resume, int batchSize) {

		public Options {
			if (batchSize < 1) {
				throw new IllegalArgumentException("batch size must be positive");
			}
		}
	}

	/** The outcome of an import, as the summary line prints it. */
	public record Summary(String runId, long records, long imported, long updated, long unchanged, long refused,
			long partial, long resumedAfter, boolean dryRun) {
	}

	/** Where refused rows and the parts of users that could not come along are written (--report FILE). */
	public interface Report {

		void refused(SourceRecord.Refused row);

		void partial(ImportedUser user, String what);

		Report NONE = new Report() {
			@Override
			public void refused(SourceRecord.Refused row) {
			}

			@Override
			public void partial(ImportedUser user, String what) {
			}
		};
	}

	/** Told after each committed batch: records done so far and bytes of the file consumed (the progress bar). */
	@FunctionalInterface
	public interface Progress {

		void committed(long recordsDone, long bytesRead);
	}

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate tx;

	private final SecretBox secrets;

	private final AuditLog audit;

	private final Clock clock;

	Importer(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, SecretBox secrets, AuditLog audit,
			Clock clock) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.tx = tx;
		this.secrets = secrets;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * A fingerprint of a file for {@code --resume}: SHA-256 over its size and first MiB, so a resumed run reads
	 * the same file (a different export of the same name starts afresh) without reading all of it twice.
	 */
	public static String fingerprint(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(Long.toString(Files.size(file)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			sha.update(in.readNBytes(1 << 20));
			return HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", e);
		}
	}

	/** Imports the records of {@code in} (the contents of {@code file}). */
	public Summary run(Path file, InputStream in, String fingerprint, Options options, Report report,
			Progress progress) throws IOException {
		String source = options.source().wireName();
		String runId = null;
		long resumeAfter = 0;
		if (options.resume()) {
			Optional<Map<String, Object>> previous = jdbc.sql("""
					select id, records_done from import_runs where source = :source and fingerprint = :fp
					and status <> 'done' order by started_at desc""")
				.param("source", source)
				.param("fp", fingerprint)
				.query()
				.listOfRows()
				.stream()
				.findFirst();
			if (previous.isPresent()) {
				runId = (String) previous.get().get("id");
				resumeAfter = ((Number) previous.get().get("records_done")).longValue();
			}
		}
		if (runId == null && !options.dryRun()) {
			runId = SecureTokens.newId("imp");
			Instant now = clock.instant();
			jdbc.sql("""
					insert into import_runs (id, source, file_name, fingerprint, records_done, imported, updated,
					unchanged, refused, status, started_at, updated_at)
					values (:id, :source, :file, :fp, 0, 0, 0, 0, 0, 'running', :now, :now)""")
				.param("id", runId)
				.param("source", source)
				.param("file", abbreviate(file.toString(), 1000))
				.param("fp", fingerprint)
				.param("now", timestamp(now))
				.update();
		}
		Counts counts = new Counts();
		String run = runId;
		try (SourceReader reader = options.source().open(in, file, options.sourceOptions())) {
			List<SourceRecord> batch = new ArrayList<>(options.batchSize());
			long lastRecord = resumeAfter;
			SourceRecord next;
			while ((next = reader.next()) != null) {
				if (next.record() <= resumeAfter) {
					continue;
				}
				batch.add(next);
				lastRecord = next.record();
				if (batch.size() == options.batchSize()) {
					commit(batch, lastRecord, run, options, counts, report);
					progress.committed(lastRecord, reader.position());
					batch.clear();
				}
			}
			if (!batch.isEmpty()) {
				commit(batch, lastRecord, run, options, counts, report);
				progress.committed(lastRecord, reader.position());
			}
		}
		catch (RuntimeException | IOException e) {
			finish(run, options, "failed");
			throw e;
		}
		finish(run, options, "done");
		Summary summary = new Summary(run, counts.records, counts.imported, counts.updated, counts.unchanged,
				counts.refused, counts.partial, resumeAfter, options.dryRun());
		if (!options.dryRun()) {
			audit.record(AuditEvent.Type.USERS_IMPORTED, null, null, ClientInfo.none(), String.format(Locale.ROOT,
					"plinto import %s %s: %d imported, %d updated, %d unchanged, %d refused", source,
					abbreviate(file.getFileName().toString(), 200), summary.imported(), summary.updated(),
					summary.unchanged(), summary.refused()));
		}
		return summary;
	}

	private void finish(String runId, Options options, String status) {
		if (runId != null && !options.dryRun()) {
			jdbc.sql("update import_runs set status = :status, updated_at = :now where id = :id")
				.param("status", status)
				.param("now", timestamp(clock.instant()))
				.param("id", runId)
				.update();
		}
	}

	private static final class Counts {

		long records;

		long imported;

		long updated;

		long unchanged;

		long refused;

		long partial;

		void add(Counts c) {
			records += c.records;
			imported += c.imported;
			updated += c.updated;
			unchanged += c.unchanged;
			refused += c.refused;
			partial += c.partial;
		}
	}

	/** What a batch found to report, written only once its transaction has committed (or, dry, rolled back). */
	private record Findings(List<SourceRecord.Refused> refused, List<Map.Entry<ImportedUser, String>> partial) {
	}

	private void commit(List<SourceRecord> batch, long lastRecord, String runId, Options options, Counts total,
			Report report) {
		Counts counts = new Counts();
		Findings findings = new Findings(new ArrayList<>(), new ArrayList<>());
		tx.executeWithoutResult(status -> {
			if (postgres()) {
				// The lookups of a batch (users by email and by id, 1,000 values each) are the same statement
				// every batch; after five executions PostgreSQL's JDBC driver prepares it on the server, which
				// then may keep a generic plan made while the table was nearly empty (a sequential scan) for
				// the whole import, since nothing re-plans it before the table is analysed: each batch would
				// scan every user imported so far. A custom plan per execution follows the table's growth.
				jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
			}
			write(batch, options, counts, findings);
			if (options.dryRun()) {
				status.setRollbackOnly();
			}
			else {
				jdbc.sql("""
						update import_runs set records_done = :done, imported = imported + :imported,
						updated = updated + :updated, unchanged = unchanged + :unchanged, refused = refused + :refused,
						updated_at = :now where id = :id""")
					.param("done", lastRecord)
					.param("imported", counts.imported)
					.param("updated", counts.updated)
					.param("unchanged", counts.unchanged)
					.param("refused", counts.refused)
					.param("now", timestamp(clock.instant()))
					.param("id", runId)
					.update();
			}
		});
		total.add(counts);
		findings.refused().forEach(report::refused);
		findings.partial().forEach(e -> report.partial(e.getKey(), e.getValue()));
	}

	private Boolean postgres;

	/** Whether the database is PostgreSQL (the import also writes into the embedded H2 database). */
	private boolean postgres() {
		if (postgres == null) {
			postgres = jdbcTemplate.execute((Connection c) -> c.getMetaData()
				.getDatabaseProductName()
				.toLowerCase(Locale.ROOT)
				.contains("postgres"));
		}
		return postgres;
	}

	/** A user as stored, for comparison with the file. */
	private record Existing(String id, String email, String externalId, boolean emailVerified, String name,
			String passwordHash, String metadata) {
	}

	private void write(List<SourceRecord> batch, Options options, Counts counts, Findings findings) {
		List<ImportedUser> users = new ArrayList<>();
		Map<String, Long> seenEmails = new HashMap<>();
		Map<String, Long> seenIds = new HashMap<>();
		for (SourceRecord r : batch) {
			counts.records++;
			if (r instanceof SourceRecord.Refused refused) {
				refuse(refused, counts, findings);
				continue;
			}
			ImportedUser u = normalized(((SourceRecord.User) r).user(), findings);
			String problem = problem(u);
			if (problem == null && seenEmails.containsKey(u.email())) {
				problem = "duplicate: the same email as record " + seenEmails.get(u.email()) + " of the file";
			}
			if (problem == null && u.externalId() != null && seenIds.containsKey(u.externalId())) {
				problem = "duplicate: the same id as record " + seenIds.get(u.externalId()) + " of the file";
			}
			if (problem != null) {
				refuse(new SourceRecord.Refused(u.record(), u.line(), u.externalId(), u.email(), problem), counts,
						findings);
				continue;
			}
			seenEmails.put(u.email(), u.record());
			if (u.externalId() != null) {
				seenIds.put(u.externalId(), u.record());
			}
			users.add(u);
		}
		if (users.isEmpty()) {
			return;
		}
		Map<String, Existing> byExternalId = existing("external_id",
				users.stream().map(ImportedUser::externalId).filter(Objects::nonNull).toList());
		Map<String, Existing> byEmail = existing("email", users.stream().map(ImportedUser::email).toList());
		Instant now = clock.instant();
		List<Object[]> inserts = new ArrayList<>();
		List<Object[]> totps = new ArrayList<>();
		Map<String, ImportedUser> memberships = new LinkedHashMap<>();
		Set<String> updatedUsers = new HashSet<>();
		for (ImportedUser u : users) {
			Existing e = u.externalId() == null ? null : byExternalId.get(u.externalId());
			if (e == null) {
				e = byEmail.get(u.email());
			}
			if (e == null) {
				String id = SecureTokens.newId("usr");
				inserts.add(new Object[] { id, u.email(), Boolean.TRUE.equals(u.emailVerified()), u.name(),
						u.passwordHash() == null ? NO_PASSWORD : u.passwordHash(),
						timestamp(u.createdAt() == null ? now : u.createdAt()), timestamp(now), u.externalId(),
						u.metadata() });
				if (u.totpSecret() != null) {
					totps.add(new Object[] { id, secrets.seal(u.totpSecret(), TotpSecrets.associatedData(id)),
							timestamp(now), timestamp(now) });
				}
				memberships.put(id, u);
				counts.imported++;
				u.notCarried().forEach(what -> findings.partial().add(Map.entry(u, what)));
				if (!u.notCarried().isEmpty()) {
					counts.partial++;
				}
				continue;
			}
			boolean differs = differs(e, u) || u.totpSecret() != null && totpDiffers(e.id(), u.totpSecret());
			if (u.passwordOnly()) {
				// The password-hash export fills in the password of a user the profile export created.
				if (u.passwordHash() != null && (NO_PASSWORD.equals(e.passwordHash())
						|| options.onConflict() == OnConflict.UPDATE && !u.passwordHash().equals(e.passwordHash()))) {
					jdbc.sql("update users set password_hash = :hash, updated_at = :now where id = :id")
						.param("hash", u.passwordHash())
						.param("now", timestamp(now))
						.param("id", e.id())
						.update();
					counts.updated++;
				}
				else {
					counts.unchanged++;
				}
				continue;
			}
			if (!differs && !membershipsDiffer(e.id(), u)) {
				counts.unchanged++;
				continue;
			}
			switch (options.onConflict()) {
				case SKIP -> counts.unchanged++;
				case FAIL -> throw new ImportException("Record " + u.record() + " (line " + u.line() + ") names a user "
						+ "that already exists with other values (" + (u.externalId() != null
								&& u.externalId().equals(e.externalId()) ? "same id" : "same email")
						+ "); the import stopped as --on-conflict fail asks. Batches before it are committed; "
						+ "re-run with --resume after fixing the file, or choose --on-conflict skip or update.");
				case UPDATE -> {
					if (!update(e, u, now)) {
						refuse(new SourceRecord.Refused(u.record(), u.line(), u.externalId(), u.email(),
								"the email belongs to another account"), counts, findings);
						continue;
					}
					if (u.totpSecret() != null && totpDiffers(e.id(), u.totpSecret())) {
						jdbc.sql("delete from totp_factors where user_id = :id").param("id", e.id()).update();
						totps.add(new Object[] { e.id(), secrets.seal(u.totpSecret(),
								TotpSecrets.associatedData(e.id())), timestamp(now), timestamp(now) });
					}
					memberships.put(e.id(), u);
					updatedUsers.add(e.id());
					counts.updated++;
				}
			}
		}
		if (!inserts.isEmpty()) {
			jdbcTemplate.batchUpdate("""
					insert into users (id, email, email_verified, name, password_hash, created_at, updated_at,
					external_id, source_metadata) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", inserts);
		}
		if (!totps.isEmpty()) {
			jdbcTemplate.batchUpdate("""
					insert into totp_factors (user_id, secret, created_at, confirmed_at, last_used_step)
					values (?, ?, ?, ?, -1)""", totps);
		}
		writeMemberships(memberships, options, now);
	}

	private void refuse(SourceRecord.Refused refused, Counts counts, Findings findings) {
		counts.refused++;
		findings.refused().add(refused);
	}

	/** The record with its email normalised, its TOTP secret in canonical base32 and oversized metadata dropped. */
	private static ImportedUser normalized(ImportedUser u, Findings findings) {
		String email = u.email() == null ? null : User.normalizeEmail(u.email());
		String totp = u.totpSecret() == null ? null : TotpSecrets.normalize(u.totpSecret()).orElse("!invalid");
		String metadata = u.metadata();
		List<String> notCarried = new ArrayList<>(u.notCarried());
		if (metadata != null && metadata.length() > METADATA_MAX) {
			metadata = null;
			notCarried.add("metadata (over 8 KiB)");
		}
		return new ImportedUser(u.record(), u.line(), u.externalId(), email, u.emailVerified(), u.name(),
				u.createdAt(), u.passwordHash(), metadata, totp, u.memberships(), notCarried, u.passwordOnly());
	}

	/** Why a record cannot be imported, or null. */
	private static String problem(ImportedUser u) {
		if (u.email() == null || u.email().isEmpty()) {
			return "no email address (Plinto signs in with email)";
		}
		if (u.email().length() > 320 || !EMAIL.matcher(u.email()).matches()) {
			return "invalid email address";
		}
		if (u.externalId() != null && u.externalId().length() > 255) {
			return "id longer than 255 characters";
		}
		if (u.name() != null && u.name().length() > 200) {
			return "name longer than 200 characters";
		}
		if (u.passwordHash() != null && !PasswordHasher.verifiable(u.passwordHash())) {
			return "unsupported or malformed password hash (" + scheme(u.passwordHash()) + ")";
		}
		if ("!invalid".equals(u.totpSecret())) {
			return "TOTP secret is not base32 of at least 80 bits";
		}
		for (ImportedUser.Membership m : u.memberships()) {
			if (m.organizationId() == null || m.organizationId().length() > 255) {
				return "organization without an id (or one longer than 255 characters)";
			}
			if (m.role() != null && !Role.validKey(m.role())) {
				return "role \"" + abbreviate(m.role(), 48) + "\" is not a valid role key";
			}
		}
		return null;
	}

	/** The name of a hash's scheme for the report, never the hash itself. */
	private static String scheme(String hash) {
		String s = hash.startsWith("$") ? hash.substring(1) : hash;
		int end = s.indexOf('$');
		return abbreviate(end < 0 ? "unknown" : s.substring(0, end), 24);
	}

	private Map<String, Existing> existing(String column, List<String> keys) {
		if (keys.isEmpty()) {
			return Map.of();
		}
		Map<String, Existing> found = new HashMap<>();
		jdbc.sql("select id, email, external_id, email_verified, name, password_hash, source_metadata from users "
				+ "where " + column + " in (:keys)")
			.param("keys", keys)
			.query((rs, n) -> new Existing(rs.getString("id"), rs.getString("email"), rs.getString("external_id"),
					rs.getBoolean("email_verified"), rs.getString("name"), rs.getString("password_hash"),
					rs.getString("source_metadata")))
			.list()
			.forEach(e -> found.put(column.equals("email") ? e.email() : e.externalId(), e));
		return found;
	}

	private static boolean differs(Existing e, ImportedUser u) {
		if (u.passwordOnly()) {
			return u.passwordHash() != null && !u.passwordHash().equals(e.passwordHash());
		}
		return !u.email().equals(e.email())
				|| u.externalId() != null && !u.externalId().equals(e.externalId())
				|| u.emailVerified() != null && u.emailVerified() != e.emailVerified()
				|| u.name() != null && !u.name().equals(e.name())
				|| u.passwordHash() != null && !u.passwordHash().equals(e.passwordHash())
				|| u.metadata() != null && !u.metadata().equals(e.metadata());
	}

	private boolean totpDiffers(String userId, String secret) {
		Optional<String> sealed = jdbc.sql("select secret from totp_factors where user_id = :id and confirmed_at "
				+ "is not null")
			.param("id", userId)
			.query(String.class)
			.optional();
		return sealed.isEmpty()
				|| !SecureTokens.constantTimeEquals(secrets.open(sealed.get(), TotpSecrets.associatedData(userId)),
						secret);
	}

	/** Overwrites the user with the file's values; false when the new email belongs to another account. */
	private boolean update(Existing e, ImportedUser u, Instant now) {
		if (!u.email().equals(e.email())) {
			boolean taken = jdbc.sql("select count(*) from users where email = :email and id <> :id")
				.param("email", u.email())
				.param("id", e.id())
				.query(Long.class)
				.single() > 0;
			if (taken) {
				return false;
			}
		}
		jdbc.sql("""
				update users set email = :email, email_verified = :verified, name = :name, password_hash = :hash,
				external_id = :external, source_metadata = :metadata, updated_at = :now where id = :id""")
			.param("email", u.email())
			.param("verified", u.emailVerified() == null ? e.emailVerified() : u.emailVerified())
			.param("name", u.name() == null ? e.name() : u.name())
			.param("hash", u.passwordHash() == null ? e.passwordHash() : u.passwordHash())
			.param("external", u.externalId() == null ? e.externalId() : u.externalId())
			.param("metadata", u.metadata() == null ? e.metadata() : u.metadata())
			.param("now", timestamp(now))
			.param("id", e.id())
			.update();
		return true;
	}

	private boolean membershipsDiffer(String userId, ImportedUser u) {
		if (u.memberships().isEmpty()) {
			return false;
		}
		Map<String, String> current = new HashMap<>();
		jdbc.sql("""
				select o.external_id, m.role_key from organization_memberships m
				join organizations o on o.id = m.organization_id where m.user_id = :user""")
			.param("user", userId)
			.query((rs, n) -> Map.entry(String.valueOf(rs.getString(1)), rs.getString(2)))
			.list()
			.forEach(e -> current.put(e.getKey(), e.getValue()));
		for (ImportedUser.Membership m : u.memberships()) {
			if (!role(m).equals(current.get(m.organizationId()))) {
				return true;
			}
		}
		return false;
	}

	private static String role(ImportedUser.Membership m) {
		return m.role() == null ? Role.MEMBER : m.role();
	}

	/**
	 * The organizations, custom roles and memberships of the batch's users: an organization is found by the
	 * source's id or created (its slug made unique), a role that is not built in is created in it with the
	 * permissions Plinto accepts, and the membership is added (or, with {@link OnConflict#UPDATE}, its role set).
	 */
	private void writeMemberships(Map<String, ImportedUser> users, Options options, Instant now) {
		Map<String, ImportedUser.Membership> orgs = new LinkedHashMap<>();
		users.values().forEach(u -> u.memberships().forEach(m -> orgs.putIfAbsent(m.organizationId(), m)));
		if (orgs.isEmpty()) {
			return;
		}
		Map<String, String> orgIds = new HashMap<>();
		jdbc.sql("select id, external_id from organizations where external_id in (:ids)")
			.param("ids", List.copyOf(orgs.keySet()))
			.query((rs, n) -> Map.entry(rs.getString(2), rs.getString(1)))
			.list()
			.forEach(e -> orgIds.put(e.getKey(), e.getValue()));
		for (ImportedUser.Membership m : orgs.values()) {
			if (orgIds.containsKey(m.organizationId())) {
				continue;
			}
			String name = m.organizationName() == null ? m.organizationId() : abbreviate(m.organizationName(), 200);
			String slug = m.organizationSlug() != null && Slugs.valid(m.organizationSlug()) ? m.organizationSlug()
					: Slugs.fromName(name);
			while (jdbc.sql("select count(*) from organizations where slug = :slug").param("slug", slug)
				.query(Long.class)
				.single() > 0) {
				slug = Slugs.withSuffix(Slugs.fromName(name));
			}
			String id = SecureTokens.newId("org");
			jdbc.sql("""
					insert into organizations (id, name, slug, public_metadata, private_metadata, created_by,
					created_at, updated_at, external_id) values (:id, :name, :slug, '{}', '{}', null, :now, :now,
					:external)""")
				.param("id", id)
				.param("name", name)
				.param("slug", slug)
				.param("now", timestamp(now))
				.param("external", m.organizationId())
				.update();
			orgIds.put(m.organizationId(), id);
		}
		for (Map.Entry<String, ImportedUser> entry : users.entrySet()) {
			String userId = entry.getKey();
			for (ImportedUser.Membership m : entry.getValue().memberships()) {
				String orgId = orgIds.get(m.organizationId());
				String role = role(m);
				if (!Role.isBuiltIn(role)) {
					ensureRole(orgId, role, m, now);
				}
				Optional<String> current = jdbc.sql("select role_key from organization_memberships where "
						+ "organization_id = :org and user_id = :user")
					.param("org", orgId)
					.param("user", userId)
					.query(String.class)
					.optional();
				if (current.isEmpty()) {
					jdbc.sql("""
							insert into organization_memberships (organization_id, user_id, role_key, created_at,
							updated_at) values (:org, :user, :role, :now, :now)""")
						.param("org", orgId)
						.param("user", userId)
						.param("role", role)
						.param("now", timestamp(now))
						.update();
				}
				else if (!current.get().equals(role) && options.onConflict() == OnConflict.UPDATE) {
					jdbc.sql("update organization_memberships set role_key = :role, updated_at = :now where "
							+ "organization_id = :org and user_id = :user")
						.param("role", role)
						.param("now", timestamp(now))
						.param("org", orgId)
						.param("user", userId)
						.update();
				}
			}
		}
	}

	private void ensureRole(String orgId, String role, ImportedUser.Membership m, Instant now) {
		boolean exists = jdbc.sql("select count(*) from organization_roles where organization_id = :org and "
				+ "role_key = :role")
			.param("org", orgId)
			.param("role", role)
			.query(Long.class)
			.single() > 0;
		if (exists) {
			return;
		}
		List<String> permissions = m.permissions()
			.stream()
			.filter(Role::validPermission)
			.distinct()
			.limit(Role.PERMISSIONS_PER_ROLE_MAX)
			.toList();
		jdbc.sql("""
				insert into organization_roles (organization_id, role_key, name, description, permissions, created_at,
				updated_at) values (:org, :role, :name, null, :permissions, :now, :now)""")
			.param("org", orgId)
			.param("role", role)
			.param("name", m.roleName() == null ? role : abbreviate(m.roleName(), 200))
			.param("permissions", SqlRows.words(permissions))
			.param("now", timestamp(now))
			.update();
	}

	private static String abbreviate(String s, int max) {
		return s.length() <= max ? s : s.substring(0, max);
	}
}
