package dev.plinto.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.scheduling.support.CronExpression;

/**
 * Plinto's whole configuration, parsed and validated from {@code PLINTO_*} environment variables.
 * Every variable is documented in {@code docs/configuration.md}; a value that cannot be used is reported
 * as one sentence naming the variable, and all problems are reported together.
 */
public record PlintoSettings(
		int port,
		URI issuer,
		String audience,
		Path dataDir,
		Database database,
		int dbPoolSize,
		Optional<URI> redisUrl,
		RedisFailure redisFailure,
		Optional<Smtp> smtp,
		String mailFrom,
		String appName,
		Optional<byte[]> masterKey,
		List<byte[]> previousMasterKeys,
		Duration accessTokenTtl,
		Duration sessionIdleTimeout,
		Duration sessionMaxLifetime,
		Duration refreshReuseGrace,
		SigningAlgorithm signingAlgorithm,
		Duration keyRotationInterval,
		Duration keyActivationDelay,
		EmailVerification emailVerification,
		Duration emailVerificationTtl,
		Duration passwordResetTtl,
		URI emailVerificationUrl,
		URI passwordResetUrl,
		List<String> corsOrigins,
		LogFormat logFormat,
		Argon2 argon2,
		RateLimits rateLimits,
		List<String> trustedProxies,
		Mfa mfa,
		Backup backup,
		Organizations organizations,
		Duration auditRetention,
		boolean apiDocs,
		Pages pages, Webhooks webhooks, SignIn signIn, NativeCrypto nativeCrypto, List<String> dnsServers,
		FederationSettings federation, Saml saml, int passwordMinLength, boolean tokenPublicMetadata) {

	/**
	 * The lowest {@code PLINTO_PASSWORD_MIN_LENGTH}: NIST SP 800-63B §5.1.1.2 requires memorized secrets of at least
	 * 8 characters, so the policy can be made stricter, never weaker.
	 */
	public static final int PASSWORD_MIN_LENGTH_FLOOR = 8;

	/**
	 * The highest {@code PLINTO_PASSWORD_MIN_LENGTH}: NIST SP 800-63B §5.1.1.2 asks verifiers to accept at least 64
	 * characters, so a minimum above it would refuse passwords the guideline says must be allowed.
	 */
	public static final int PASSWORD_MIN_LENGTH_CEILING = 64;

	public enum SigningAlgorithm { RS256, ES256, EdDSA }

	/**
	 * {@code PLINTO_NATIVE_CRYPTO}: {@code AUTO} signs and verifies RS256/ES256 with the Amazon Corretto Crypto
	 * Provider where it loads and passes its self-tests, {@code OFF} always with the JDK's providers.
	 */
	public enum NativeCrypto { AUTO, OFF }

	public enum EmailVerification { OPTIONAL, REQUIRED }

	public enum LogFormat { TEXT, JSON }

	/** A feature switch such as {@code PLINTO_API_DOCS}. */
	private enum OnOff { ON, OFF }

	private enum TrueFalse { TRUE, FALSE }

	public enum DatabaseKind { H2, POSTGRESQL }

	/**
	 * What a node does while Redis is configured but unreachable ({@code PLINTO_REDIS_FAILURE}): {@code LOCAL} keeps
	 * serving with rate limits in the process and revocations from the database poll; {@code CLOSED} refuses
	 * rate-limited requests with 503 and reports the node not ready.
	 */
	public enum RedisFailure { LOCAL, CLOSED }

	/**
	 * A first factor a user can sign in with ({@code PLINTO_SIGN_IN_METHODS}): the password, a passkey without a
	 * password, a code mailed to the address, or a link mailed to it.
	 */
	public enum SignInMethod {
		PASSWORD, PASSKEY, EMAIL_CODE, EMAIL_LINK;

		/** The name in {@code PLINTO_SIGN_IN_METHODS} and in problem details, e.g. {@code email_code}. */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * How users sign in: the first factors that are switched on ({@code PLINTO_SIGN_IN_METHODS}, default all four),
	 * whether an emailed code or link may create the account of an unknown address ({@code PLINTO_EMAIL_SIGN_UP},
	 * default false), and the per-IP and per-address rate of sign-in mails ({@code PLINTO_RATE_LIMIT_SIGN_IN_MAIL}).
	 */
	public record SignIn(Set<SignInMethod> methods, boolean emailSignUp, Rate mailRate) {

		public SignIn {
			methods = methods.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(methods));
		}

		public boolean enabled(SignInMethod method) {
			return methods.contains(method);
		}
	}

	/** Whether users must have a second factor ({@code PLINTO_MFA}). */
	public enum MfaPolicy { OPTIONAL, REQUIRED }

	/**
	 * Multi-factor authentication and passkeys (docs/mfa.md): the policy, the per-user limit on MFA management
	 * calls, the WebAuthn relying party id and allowed origins, and how recent a sign-in must be for changes to
	 * the sign-in methods ({@code PLINTO_REAUTHENTICATION_WINDOW}).
	 */
	public record Mfa(MfaPolicy policy, Rate perUser, String webauthnRpId, List<String> webauthnOrigins,
			Duration reauthenticationWindow) {
	}

	/**
	 * The hosted pages (docs/hosted-pages.md): where a browser goes after signing in when no allowed
	 * {@code redirect_url} is given, the URLs a {@code redirect_url} may point to (exact origins, optionally with a
	 * path prefix), the lifetime of the session JWT cookie and the domain it is set for, the template override
	 * directory, and the branding.
	 */
	public record Pages(URI afterSignInUrl, List<URI> redirectUrls, Duration sessionCookieTtl,
			Optional<String> sessionCookieDomain, Optional<Path> templatesDir, Branding branding) {
	}

	/**
	 * What the pages show of the operator's brand: a logo (a URL, or a file Plinto serves), the primary colour
	 * ({@code #rrggbb}), light, dark or the browser's choice, a support address, links to terms and privacy, and a
	 * CSS file added after Plinto's own stylesheet.
	 */
	public record Branding(Optional<URI> logoUrl, Optional<Path> logoFile, String primaryColor,
			ColorScheme colorScheme, Optional<String> supportEmail, Optional<URI> termsUrl, Optional<URI> privacyUrl,
			Optional<Path> customCss) {
	}

	/** {@code PLINTO_COLOR_SCHEME}: follow the browser's {@code prefers-color-scheme}, or always light or dark. */
	public enum ColorScheme { AUTO, LIGHT, DARK }

	/** Where data lives: a JDBC URL plus credentials, and a description safe to log (no password). */
	public record Database(DatabaseKind kind, String jdbcUrl, String username, String password, String description) {
		@Override
		public String toString() {
			return description;
		}
	}

	/** An SMTP transport; {@code ssl} for {@code smtps://} (implicit TLS), otherwise STARTTLS when offered. */
	public record Smtp(String host, int port, String username, String password, boolean ssl) {
		@Override
		public String toString() {
			return (ssl ? "smtps://" : "smtp://") + host + ":" + port;
		}
	}

	/** Argon2id cost parameters: memory in KiB, iterations, parallelism. */
	public record Argon2(int memoryKib, int iterations, int parallelism) {

		/** The largest memory cost that can be configured: 4 GiB. */
		public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

		/** The largest number of iterations that can be configured. */
		public static final int MAX_ITERATIONS = 100;

		/** The largest parallelism that can be configured. */
		public static final int MAX_PARALLELISM = 64;
	}

	/** A limit of {@code capacity} events per {@code period}. */
	public record Rate(long capacity, Duration period) {
		@Override
		public String toString() {
			return capacity + "/" + DurationFormat.format(period);
		}
	}

	/**
	 * Per-IP limits, the per-key limit of the Backend API ({@code PLINTO_RATE_LIMIT_ADMIN_API}) and the per-account
	 * lockout: after {@code lockoutThreshold} consecutive failures
	 * an account is locked for {@code lockoutBaseDelay}, doubling with each further failure, capped at
	 * {@code lockoutWindow}; failures older than the window are forgotten.
	 */
	public record RateLimits(Rate signInPerIp, Rate signUpPerIp, Rate passwordResetPerIp, Rate verificationMailPerIp,
			Rate refreshPerIp, int lockoutThreshold, Duration lockoutBaseDelay, Duration lockoutWindow,
			Rate adminApiPerKey) {
	}

	/**
	 * Limits of organizations (docs/organizations.md): how many organizations one user may create, how many
	 * members (with pending invitations) one may have, how long an invitation link lives, where it points, and
	 * the rates of invitation mails per inviting user and of invitation acceptances per client IP.
	 */
	/**
	 * Webhook delivery (docs/webhooks.md): whether plain-http endpoints are accepted ({@code PLINTO_WEBHOOKS_ALLOW_HTTP}),
	 * the private networks endpoints may nevertheless reach ({@code PLINTO_WEBHOOKS_ALLOWED_NETWORKS}, as CIDRs), the
	 * response timeout, how long the delivery log is kept, the default overlap of a secret rotation, and how long an
	 * endpoint may fail continuously before it is disabled.
	 */
	public record Webhooks(boolean allowHttp, List<String> allowedNetworks, Duration timeout, Duration logRetention,
			Duration secretOverlap, Duration disableAfter) {
	}

	/**
	 * The SAML 2.0 service provider of enterprise connections (docs/federation.md): whether a response no sign-in
	 * of Plinto asked for (IdP-initiated sign-in) is accepted ({@code PLINTO_SAML_IDP_INITIATED}, off by default),
	 * and whether an identity provider's metadata may be fetched over plain http
	 * ({@code PLINTO_SAML_METADATA_ALLOW_HTTP}, development only).
	 */
	public record Saml(boolean idpInitiated, boolean metadataAllowHttp) {
	}

	public record Organizations(int maxPerUser, int maxMembers, Duration invitationTtl, URI invitationUrl,
			Rate invitationsPerUser, Rate invitationAcceptPerIp) {
	}

	/**
	 * Backups: the key or passphrase of {@code plinto backup}/{@code restore}, and scheduled backups, which run
	 * when {@code dir} is present (every {@code schedule}, keeping {@code keep}; {@code maxAge} is the age after
	 * which the last successful backup counts as too old).
	 */
	public record Backup(Optional<byte[]> key, Optional<String> passphrase, Optional<Path> dir,
			CronExpression schedule, String scheduleText, BackupRetention keep, Duration maxAge) {

		/** The default schedule: daily at 03:00 UTC. */
		public static final String DEFAULT_SCHEDULE = "0 0 3 * * *";

		/**
		 * A passphrase shorter than this is refused for new backups (NIST SP 800-63B §3.1.1.2 asks at least 8 for
		 * passwords; a backup file can be attacked offline, so more).
		 */
		public static final int MIN_PASSPHRASE_LENGTH = 12;

		@Override
		public String toString() {
			return "Backup[dir=" + dir.map(Path::toString).orElse("(none)") + ", schedule=" + scheduleText + ", keep="
					+ keep + ", maxAge=" + DurationFormat.format(maxAge) + "]"; // never the key or passphrase
		}
	}

	/** Parses the settings from the process environment. */
	public static PlintoSettings fromEnvironment() {
		return parse(System::getenv);
	}

	/** Parses the settings from a variable lookup (the environment, or a Spring {@code Environment}). */
	public static PlintoSettings parse(Function<String, String> lookup) {
		Parser p = new Parser(lookup);
		int port = p.integer("PLINTO_PORT", 8080, 0, 65535);
		URI issuer = p.httpUrl("PLINTO_ISSUER", "http://localhost:" + port);
		String audience = p.string("PLINTO_ACCESS_TOKEN_AUDIENCE", issuer == null ? "" : issuer.toString());
		Path dataDir = Path.of(p.string("PLINTO_DATA_DIR", "./data")).toAbsolutePath().normalize();
		Database database = p.database("PLINTO_DATABASE_URL", dataDir);
		int pool = p.integer("PLINTO_DB_POOL_SIZE", 10, 1, 1000);
		Optional<URI> redis = p.redisUrl("PLINTO_REDIS_URL");
		RedisFailure redisFailure = p.enumValue("PLINTO_REDIS_FAILURE", RedisFailure.LOCAL, RedisFailure.class);
		Optional<Smtp> smtp = p.smtp("PLINTO_SMTP_URL");
		String appName = p.string("PLINTO_APP_NAME", "Plinto");
		String mailFrom = p.mailFrom("PLINTO_MAIL_FROM", appName, issuer);
		Optional<byte[]> masterKey = p.masterKey("PLINTO_MASTER_KEY");
		if (database != null && database.kind() == DatabaseKind.POSTGRESQL && masterKey.isEmpty()
				&& !p.failed("PLINTO_MASTER_KEY")) {
			p.problem("PLINTO_MASTER_KEY is required with PostgreSQL storage: set it to 32 random bytes in base64 "
					+ "(openssl rand -base64 32) and keep the same value on every node.");
		}
		List<byte[]> previousMasterKeys = p.previousMasterKeys("PLINTO_MASTER_KEY_PREVIOUS");
		Duration accessTtl = p.duration("PLINTO_ACCESS_TOKEN_TTL", "10m", Duration.ofSeconds(30));
		Duration idle = p.duration("PLINTO_SESSION_IDLE_TIMEOUT", "7d", Duration.ofMinutes(1));
		Duration max = p.duration("PLINTO_SESSION_MAX_LIFETIME", "30d", Duration.ofMinutes(1));
		Duration grace = p.duration("PLINTO_REFRESH_REUSE_GRACE", "0s", Duration.ZERO);
		SigningAlgorithm alg = p.signingAlgorithm("PLINTO_SIGNING_ALG");
		Duration rotation = p.duration("PLINTO_KEY_ROTATION_INTERVAL", "30d", Duration.ofHours(1));
		Duration activation = p.duration("PLINTO_KEY_ACTIVATION_DELAY", "10m", Duration.ZERO);
		EmailVerification verification = p.enumValue("PLINTO_EMAIL_VERIFICATION", EmailVerification.OPTIONAL,
				EmailVerification.class);
		Duration verificationTtl = p.duration("PLINTO_EMAIL_VERIFICATION_TTL", "24h", Duration.ofMinutes(5));
		Duration resetTtl = p.duration("PLINTO_PASSWORD_RESET_TTL", "30m", Duration.ofMinutes(5));
		String base = issuer == null ? "http://localhost" : issuer.toString().replaceAll("/+$", "");
		URI verificationUrl = p.httpUrl("PLINTO_EMAIL_VERIFICATION_URL", base + "/verify-email");
		URI resetUrl = p.httpUrl("PLINTO_PASSWORD_RESET_URL", base + "/reset-password");
		List<String> cors = p.origins("PLINTO_CORS_ORIGINS");
		LogFormat logFormat = p.enumValue("PLINTO_LOG_FORMAT", LogFormat.TEXT, LogFormat.class);
		Argon2 argon2 = new Argon2(p.integer("PLINTO_ARGON2_MEMORY_KIB", 19456, 1024, Argon2.MAX_MEMORY_KIB),
				p.integer("PLINTO_ARGON2_ITERATIONS", 2, 1, Argon2.MAX_ITERATIONS),
				p.integer("PLINTO_ARGON2_PARALLELISM", 1, 1, Argon2.MAX_PARALLELISM));
		RateLimits limits = new RateLimits(p.rate("PLINTO_RATE_LIMIT_SIGN_IN", "60/1m"),
				p.rate("PLINTO_RATE_LIMIT_SIGN_UP", "20/1h"), p.rate("PLINTO_RATE_LIMIT_PASSWORD_RESET", "10/1h"),
				p.rate("PLINTO_RATE_LIMIT_VERIFICATION_MAIL", "10/1h"), p.rate("PLINTO_RATE_LIMIT_REFRESH", "600/1m"),
				p.integer("PLINTO_LOCKOUT_THRESHOLD", 10, 1, 1_000_000),
				p.duration("PLINTO_LOCKOUT_BASE_DELAY", "30s", Duration.ofSeconds(1)),
				p.duration("PLINTO_LOCKOUT_WINDOW", "15m", Duration.ofSeconds(1)),
				p.rate("PLINTO_RATE_LIMIT_ADMIN_API", "600/1m"));
		List<String> trustedProxies = p.networks("PLINTO_TRUSTED_PROXIES");
		Mfa mfa = new Mfa(p.enumValue("PLINTO_MFA", MfaPolicy.OPTIONAL, MfaPolicy.class),
				p.rate("PLINTO_RATE_LIMIT_MFA", "30/1m"),
				p.string("PLINTO_WEBAUTHN_RP_ID", issuer == null ? "localhost" : issuer.getHost()),
				p.raw("PLINTO_WEBAUTHN_ORIGINS") == null ? List.of(issuerOrigin(issuer))
						: p.origins("PLINTO_WEBAUTHN_ORIGINS"),
				p.duration("PLINTO_REAUTHENTICATION_WINDOW", "15m", Duration.ofMinutes(1)));
		if (mfa.webauthnRpId() != null && !mfa.webauthnOrigins().isEmpty() && mfa.webauthnOrigins().stream()
			.map(o -> URI.create(o).getHost())
			.noneMatch(host -> host.equals(mfa.webauthnRpId()) || host.endsWith("." + mfa.webauthnRpId()))) {
			p.problem("PLINTO_WEBAUTHN_RP_ID (" + mfa.webauthnRpId() + ") must be the host of an origin in "
					+ "PLINTO_WEBAUTHN_ORIGINS or a registrable suffix of it (WebAuthn §5.1.3).");
		}
		Organizations organizations = new Organizations(p.integer("PLINTO_ORG_MAX_PER_USER", 100, 1, 1_000_000),
				p.integer("PLINTO_ORG_MAX_MEMBERS", 1000, 1, 1_000_000),
				p.duration("PLINTO_ORG_INVITATION_TTL", "7d", Duration.ofMinutes(5)),
				p.httpUrl("PLINTO_ORG_INVITATION_URL", base + "/accept-invitation"),
				p.rate("PLINTO_RATE_LIMIT_INVITATIONS", "50/1h"),
				p.rate("PLINTO_RATE_LIMIT_INVITATION_ACCEPT", "30/1h"));
		if (idle != null && max != null && idle.compareTo(max) > 0) {
			p.problem("PLINTO_SESSION_IDLE_TIMEOUT (" + DurationFormat.format(idle)
					+ ") must not be longer than PLINTO_SESSION_MAX_LIFETIME (" + DurationFormat.format(max) + ").");
		}
		Backup backup = p.backup();
		Duration auditRetention = p.duration("PLINTO_AUDIT_RETENTION", "365d", Duration.ZERO);
		if (auditRetention != null && !auditRetention.isZero() && auditRetention.compareTo(Duration.ofDays(1)) < 0) {
			// "30m" is 30 minutes, not months: a retention this short would empty the audit log within the hour.
			p.problem("PLINTO_AUDIT_RETENTION must be 0s (keep events forever) or at least 1d, not '"
					+ p.raw("PLINTO_AUDIT_RETENTION") + "'.");
		}
		// PLINTO_API_DOCS=off: no /docs (Swagger UI) and no /openapi.json, e.g. in production.
		boolean apiDocs = p.enumValue("PLINTO_API_DOCS", OnOff.ON, OnOff.class) == OnOff.ON;
		Pages pages = p.pages(base, issuer);
		Webhooks webhooks = new Webhooks(
				p.enumValue("PLINTO_WEBHOOKS_ALLOW_HTTP", TrueFalse.FALSE, TrueFalse.class) == TrueFalse.TRUE,
				p.networks("PLINTO_WEBHOOKS_ALLOWED_NETWORKS"),
				p.duration("PLINTO_WEBHOOKS_TIMEOUT", "15s", Duration.ofSeconds(1)),
				p.duration("PLINTO_WEBHOOKS_LOG_RETENTION", "30d", Duration.ofDays(1)),
				p.duration("PLINTO_WEBHOOKS_SECRET_OVERLAP", "24h", Duration.ZERO),
				p.duration("PLINTO_WEBHOOKS_DISABLE_AFTER", "5d", Duration.ofHours(1)));
		SignIn signIn = new SignIn(p.signInMethods("PLINTO_SIGN_IN_METHODS"),
				p.enumValue("PLINTO_EMAIL_SIGN_UP", TrueFalse.FALSE, TrueFalse.class) == TrueFalse.TRUE,
				p.rate("PLINTO_RATE_LIMIT_SIGN_IN_MAIL", "10/1h"));
		NativeCrypto nativeCrypto = p.enumValue("PLINTO_NATIVE_CRYPTO", NativeCrypto.AUTO, NativeCrypto.class);
		List<String> dnsServers = p.dnsServers("PLINTO_DNS_SERVERS");
		List<String> federationProblems = new ArrayList<>();
		FederationSettings federation = FederationSettings.parse(lookup, federationProblems);
		federationProblems.forEach(p::problem);
		Saml saml = new Saml(p.enumValue("PLINTO_SAML_IDP_INITIATED", TrueFalse.FALSE, TrueFalse.class) == TrueFalse.TRUE,
				p.enumValue("PLINTO_SAML_METADATA_ALLOW_HTTP", TrueFalse.FALSE, TrueFalse.class) == TrueFalse.TRUE);
		int passwordMinLength = p.integer("PLINTO_PASSWORD_MIN_LENGTH", PASSWORD_MIN_LENGTH_FLOOR,
				PASSWORD_MIN_LENGTH_FLOOR, PASSWORD_MIN_LENGTH_CEILING);
		// PLINTO_TOKEN_PUBLIC_METADATA=on: the user's public metadata as the public_metadata claim of Plinto's session
		// tokens and of the OpenID provider's ID tokens with the profile scope.
		boolean tokenPublicMetadata = p.enumValue("PLINTO_TOKEN_PUBLIC_METADATA", OnOff.OFF, OnOff.class) == OnOff.ON;
		p.throwIfProblems();
		return new PlintoSettings(port, issuer, audience, dataDir, database, pool, redis, redisFailure, smtp, mailFrom, appName,
				masterKey, previousMasterKeys, accessTtl, idle, max, grace, alg, rotation, activation, verification, verificationTtl,
				resetTtl, verificationUrl, resetUrl, cors, logFormat, argon2, limits, trustedProxies,
				mfa, backup, organizations, auditRetention, apiDocs, pages, webhooks, signIn, nativeCrypto, dnsServers,
				federation, saml, passwordMinLength, tokenPublicMetadata);
	}

	/** The origin (scheme, host, port) of the issuer URL, the default WebAuthn origin. */
	private static String issuerOrigin(URI issuer) {
		if (issuer == null) {
			return "http://localhost";
		}
		return issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort());
	}

	/** The issuer without a trailing slash, the base for URLs Plinto publishes. */
	public String baseUrl() {
		return issuer.toString().replaceAll("/+$", "");
	}

	/**
	 * The duration syntax of every duration variable — 500ms, 30s, 10m, 24h, 7d or ISO-8601 — parsed by Spring
	 * Boot's {@code DurationStyle}; and the short form used to print durations back.
	 */
	public static final class DurationFormat {

		private DurationFormat() {
		}

		public static Duration parse(String text) {
			if (text.trim().matches("[-+]?\\d+")) {
				return null; // a unit is required: "600" could mean seconds or milliseconds
			}
			try {
				return DurationStyle.detectAndParse(text.trim());
			}
			catch (IllegalArgumentException e) {
				return null;
			}
		}

		public static String format(Duration d) {
			long ms = d.toMillis();
			if (ms == 0) {
				return "0s";
			}
			if (ms % 86_400_000 == 0) {
				return ms / 86_400_000 + "d";
			}
			if (ms % 3_600_000 == 0) {
				return ms / 3_600_000 + "h";
			}
			if (ms % 60_000 == 0) {
				return ms / 60_000 + "m";
			}
			if (ms % 1000 == 0) {
				return ms / 1000 + "s";
			}
			return ms + "ms";
		}
	}

	/** A DNS server: a host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
	private static final java.util.regex.Pattern DNS_SERVER = java.util.regex.Pattern
		.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(:[0-9]{1,5})?");

	private static final class Parser {

		private final Function<String, String> lookup;

		private final List<String> problems = new ArrayList<>();

		private final List<String> failedNames = new ArrayList<>();

		Parser(Function<String, String> lookup) {
			this.lookup = lookup;
		}

		String raw(String name) {
			String value = lookup.apply(name);
			return value == null || value.isBlank() ? null : value.trim();
		}

		void problem(String sentence) {
			problems.add(sentence);
		}

		void fail(String name, String sentence) {
			failedNames.add(name);
			problems.add(sentence);
		}

		boolean failed(String name) {
			return failedNames.contains(name);
		}

		void throwIfProblems() {
			if (!problems.isEmpty()) {
				throw new SettingsException(problems);
			}
		}

		String string(String name, String fallback) {
			String v = raw(name);
			return v == null ? fallback : v;
		}

		int integer(String name, int fallback, int min, int maxValue) {
			String v = raw(name);
			if (v == null) {
				return fallback;
			}
			try {
				int n = Integer.parseInt(v);
				if (n >= min && n <= maxValue) {
					return n;
				}
			}
			catch (NumberFormatException e) {
				// reported below
			}
			fail(name, name + " must be a whole number from " + min + " to " + maxValue + ", not '" + v + "'.");
			return fallback;
		}

		Duration duration(String name, String fallback, Duration min) {
			String v = raw(name);
			Duration d = DurationFormat.parse(v == null ? fallback : v);
			if (d == null || d.isNegative()) {
				fail(name, name + " must be a duration such as 30s, 10m, 24h or 7d, not '" + v + "'.");
				return null;
			}
			if (d.compareTo(min) < 0) {
				fail(name, name + " must be at least " + DurationFormat.format(min) + ", not '" + v + "'.");
				return null;
			}
			return d;
		}

		Rate rate(String name, String fallback) {
			String v = string(name, fallback);
			String[] parts = v.split("/", 2);
			try {
				long capacity = Long.parseLong(parts[0].trim());
				Duration period = parts.length == 2 ? DurationFormat.parse(parts[1]) : null;
				if (capacity >= 1 && period != null && !period.isZero() && !period.isNegative()) {
					return new Rate(capacity, period);
				}
			}
			catch (NumberFormatException e) {
				// reported below
			}
			fail(name, name + " must be a count per duration such as 60/1m or 10/1h, not '" + v + "'.");
			return null;
		}

		/** A comma-separated, non-empty list of sign-in methods; all four when unset. */
		Set<SignInMethod> signInMethods(String name) {
			String v = raw(name);
			if (v == null) {
				return EnumSet.allOf(SignInMethod.class);
			}
			Set<SignInMethod> methods = EnumSet.noneOf(SignInMethod.class);
			List<String> unknown = new ArrayList<>();
			for (String part : v.split(",")) {
				String word = part.trim();
				if (word.isEmpty()) {
					continue;
				}
				Arrays.stream(SignInMethod.values())
					.filter(m -> m.key().equalsIgnoreCase(word))
					.findFirst()
					.ifPresentOrElse(methods::add, () -> unknown.add(word));
			}
			if (!unknown.isEmpty() || methods.isEmpty()) {
				fail(name, name + " must be a comma-separated list of one or more of " + Arrays
					.stream(SignInMethod.values())
					.map(SignInMethod::key)
					.toList() + ", not '" + v + "'.");
				return EnumSet.allOf(SignInMethod.class);
			}
			return methods;
		}

		<E extends Enum<E>> E enumValue(String name, E fallback, Class<E> type) {
			String v = raw(name);
			if (v == null) {
				return fallback;
			}
			for (E e : type.getEnumConstants()) {
				if (e.name().equalsIgnoreCase(v)) {
					return e;
				}
			}
			fail(name, name + " must be one of " + Arrays.stream(type.getEnumConstants())
				.map(e -> e.name().toLowerCase(Locale.ROOT))
				.toList() + ", not '" + v + "'.");
			return fallback;
		}

		SigningAlgorithm signingAlgorithm(String name) {
			String v = raw(name);
			if (v == null) {
				return SigningAlgorithm.RS256;
			}
			for (SigningAlgorithm a : SigningAlgorithm.values()) {
				if (a.name().equalsIgnoreCase(v)) {
					return a;
				}
			}
			fail(name, name + " must be RS256, ES256 or EdDSA, not '" + v + "'.");
			return SigningAlgorithm.RS256;
		}

		URI httpUrl(String name, String fallback) {
			String v = raw(name);
			String text = v == null ? fallback : v;
			try {
				URI uri = new URI(text);
				if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
						&& uri.getQuery() == null && uri.getFragment() == null) {
					return uri;
				}
			}
			catch (URISyntaxException e) {
				// reported below
			}
			fail(name, name + " must be an absolute http(s) URL without query or fragment, such as "
					+ "https://auth.example.com, not '" + text + "'.");
			return null;
		}

		List<String> origins(String name) {
			String v = raw(name);
			if (v == null) {
				return List.of();
			}
			List<String> origins = new ArrayList<>();
			for (String part : v.split(",")) {
				String origin = part.trim();
				if (origin.isEmpty()) {
					continue;
				}
				try {
					URI uri = new URI(origin);
					boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
					boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
					if (web && uri.getHost() != null && bare && uri.getQuery() == null) {
						origins.add(origin);
						continue;
					}
				}
				catch (URISyntaxException e) {
					// reported below
				}
				fail(name, name + " must be a comma-separated list of origins such as https://app.example.com "
						+ "(scheme, host and optional port, no path), and '" + origin + "' is not one.");
			}
			return List.copyOf(origins);
		}

		/**
		 * A comma-separated list of IP addresses and CIDR ranges, each returned as a CIDR ({@code 10.0.0.5} becomes
		 * {@code 10.0.0.5/32}). Only IP literals: a host name would need a DNS lookup at every start and could
		 * change under us.
		 */
		/**
		 * DNS servers as {@code host} or {@code host:port} ({@code [v6]:port} for IPv6), comma-separated; empty for
		 * the system's resolvers.
		 */
		List<String> dnsServers(String name) {
			String v = raw(name);
			if (v == null) {
				return List.of();
			}
			List<String> servers = new ArrayList<>();
			for (String part : v.split(",")) {
				String server = part.trim();
				if (server.isEmpty()) {
					continue;
				}
				if (DNS_SERVER.matcher(server).matches()) {
					servers.add(server);
					continue;
				}
				fail(name, name + " must be a comma-separated list of DNS servers such as 10.0.0.2 or "
						+ "10.0.0.2:5353 or [2001:db8::53]:53, and '" + server + "' is not one.");
			}
			return List.copyOf(servers);
		}

		List<String> networks(String name) {
			String v = raw(name);
			if (v == null) {
				return List.of();
			}
			List<String> networks = new ArrayList<>();
			for (String part : v.split(",")) {
				String entry = part.trim();
				if (entry.isEmpty()) {
					continue;
				}
				String cidr = cidr(entry);
				if (cidr == null) {
					fail(name, name + " must be a comma-separated list of IP addresses or CIDR ranges such as "
							+ "10.0.0.0/8, 192.0.2.7 or fd00::/8, and '" + entry + "' is not one.");
				}
				else {
					networks.add(cidr);
				}
			}
			return List.copyOf(networks);
		}

		private static String cidr(String entry) {
			String[] parts = entry.split("/", 2);
			String address = parts[0];
			boolean v6 = address.contains(":");
			boolean literal = v6 ? address.matches("[0-9A-Fa-f:.]+") : address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
			if (!literal || !v6 && Arrays.stream(address.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
				return null;
			}
			int max = v6 ? 128 : 32;
			int bits = max;
			if (parts.length == 2) {
				if (!parts[1].matches("\\d{1,3}")) {
					return null;
				}
				bits = Integer.parseInt(parts[1]);
			}
			if (bits > max) {
				return null;
			}
			try {
				// An IP literal never causes a DNS lookup (InetAddress#getByName documents this).
				java.net.InetAddress parsed = java.net.InetAddress.getByName(address);
				if ((parsed instanceof java.net.Inet6Address) != v6) {
					return null;
				}
			}
			catch (java.net.UnknownHostException e) {
				return null;
			}
			return address + "/" + bits;
		}

		Pages pages(String base, URI issuer) {
			URI after = httpUrlWithQuery("PLINTO_AFTER_SIGN_IN_URL", base + "/account");
			List<URI> redirects = new ArrayList<>();
			String list = raw("PLINTO_REDIRECT_URLS");
			if (list != null) {
				for (String part : list.split(",")) {
					String entry = part.trim();
					if (entry.isEmpty()) {
						continue;
					}
					URI uri = null;
					try {
						uri = new URI(entry);
					}
					catch (URISyntaxException e) {
						// reported below
					}
					boolean web = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
					if (!web || uri.getHost() == null || uri.getHost().contains("*") || uri.getRawUserInfo() != null
							|| uri.getRawQuery() != null || uri.getRawFragment() != null) {
						fail("PLINTO_REDIRECT_URLS", "PLINTO_REDIRECT_URLS must be a comma-separated list of http(s) "
								+ "URLs such as https://app.example.com or https://app.example.com/after-sign-in/ "
								+ "(an exact origin, optionally a path prefix; no wildcard, query or fragment), and '"
								+ entry + "' is not one.");
						continue;
					}
					redirects.add(uri);
				}
			}
			Duration cookieTtl = duration("PLINTO_SESSION_COOKIE_TTL", "60s", Duration.ofSeconds(10));
			Optional<String> domain = Optional.ofNullable(raw("PLINTO_SESSION_COOKIE_DOMAIN"));
			if (domain.isPresent() && issuer != null && !(issuer.getHost().equals(domain.get())
					|| issuer.getHost().endsWith("." + domain.get()))) {
				fail("PLINTO_SESSION_COOKIE_DOMAIN", "PLINTO_SESSION_COOKIE_DOMAIN (" + domain.get()
						+ ") must be the issuer's host or a parent domain of it (RFC 6265 §5.3, step 6).");
			}
			Optional<Path> templates = existingPath("PLINTO_TEMPLATES_DIR", true);
			String color = string("PLINTO_PRIMARY_COLOR", "#4f46e5");
			if (!color.matches("#[0-9a-fA-F]{6}")) {
				fail("PLINTO_PRIMARY_COLOR", "PLINTO_PRIMARY_COLOR must be a colour such as #4f46e5, not '" + color
						+ "'.");
			}
			String support = raw("PLINTO_SUPPORT_EMAIL");
			if (support != null && !support.matches("[^@\\s<>\"]+@[^@\\s<>\"]+")) {
				fail("PLINTO_SUPPORT_EMAIL", "PLINTO_SUPPORT_EMAIL must be an email address such as "
						+ "help@example.com, not '" + support + "'.");
			}
			Optional<URI> logoUrl = optionalUrl("PLINTO_LOGO_URL");
			Optional<Path> logoFile = existingPath("PLINTO_LOGO_FILE", false);
			if (logoUrl.isPresent() && logoFile.isPresent()) {
				fail("PLINTO_LOGO_FILE", "Set PLINTO_LOGO_URL or PLINTO_LOGO_FILE, not both.");
			}
			if (logoFile.isPresent() && !logoFile.get().getFileName().toString().toLowerCase(Locale.ROOT)
				.matches(".*\\.(png|svg|jpe?g|webp|gif)")) {
				fail("PLINTO_LOGO_FILE", "PLINTO_LOGO_FILE must be a .png, .svg, .jpg, .webp or .gif image, not '"
						+ logoFile.get().getFileName() + "'.");
			}
			String scheme = string("PLINTO_COLOR_SCHEME", "auto").toUpperCase(Locale.ROOT);
			if (!List.of("AUTO", "LIGHT", "DARK").contains(scheme)) {
				fail("PLINTO_COLOR_SCHEME", "PLINTO_COLOR_SCHEME must be auto, light or dark, not '"
						+ raw("PLINTO_COLOR_SCHEME") + "'.");
				scheme = "AUTO";
			}
			Branding branding = new Branding(logoUrl, logoFile, color.toLowerCase(Locale.ROOT),
					ColorScheme.valueOf(scheme), Optional.ofNullable(support), optionalUrl("PLINTO_TERMS_URL"),
					optionalUrl("PLINTO_PRIVACY_URL"), existingPath("PLINTO_CUSTOM_CSS", false));
			return new Pages(after, List.copyOf(redirects), cookieTtl, domain, templates, branding);
		}

		private Optional<URI> optionalUrl(String name) {
			return raw(name) == null ? Optional.empty() : Optional.ofNullable(httpUrlWithQuery(name, null));
		}

		/** An absolute http(s) URL; unlike {@link #httpUrl} a query is allowed (a link to an app's page). */
		private URI httpUrlWithQuery(String name, String fallback) {
			String v = raw(name);
			String text = v == null ? fallback : v;
			try {
				URI uri = new URI(text);
				if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
						&& uri.getRawUserInfo() == null) {
					return uri;
				}
			}
			catch (URISyntaxException e) {
				// reported below
			}
			fail(name, name + " must be an absolute http(s) URL such as https://app.example.com/home, not '" + text
					+ "'.");
			return null;
		}

		private Optional<Path> existingPath(String name, boolean directory) {
			String v = raw(name);
			if (v == null) {
				return Optional.empty();
			}
			Path path = Path.of(v).toAbsolutePath().normalize();
			boolean ok = directory ? java.nio.file.Files.isDirectory(path) : java.nio.file.Files.isRegularFile(path);
			if (!ok || !java.nio.file.Files.isReadable(path)) {
				fail(name, name + " must be a readable " + (directory ? "directory" : "file") + ", and '" + v
						+ "' is not one.");
				return Optional.empty();
			}
			return Optional.of(path);
		}

		Database database(String name, Path dataDir) {
			String v = raw(name);
			if (v == null) {
				Path file = dataDir.resolve("plinto");
				return new Database(DatabaseKind.H2, "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "",
						"embedded H2 at " + file + ".mv.db");
			}
			if (v.startsWith("jdbc:h2:")) {
				return new Database(DatabaseKind.H2, v, "sa", "", "H2 at " + v.replaceAll(";.*", ""));
			}
			if (v.startsWith("jdbc:postgresql:")) {
				return jdbcPostgres(name, v);
			}
			try {
				URI uri = new URI(v);
				if (("postgresql".equals(uri.getScheme()) || "postgres".equals(uri.getScheme()))
						&& uri.getHost() != null && uri.getPath() != null && uri.getPath().length() > 1) {
					String user = "postgres";
					String password = "";
					if (uri.getRawUserInfo() != null) {
						String[] info = uri.getRawUserInfo().split(":", 2);
						user = decodeUserInfo(info[0]);
						password = info.length == 2 ? decodeUserInfo(info[1]) : "";
					}
					int port = uri.getPort() == -1 ? 5432 : uri.getPort();
					String db = uri.getPath().substring(1);
					String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db
							+ (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
					return new Database(DatabaseKind.POSTGRESQL, jdbc, user, password,
							"PostgreSQL " + uri.getHost() + ":" + port + "/" + db);
				}
			}
			catch (URISyntaxException | IllegalArgumentException e) {
				// reported below
			}
			fail(name, name + " must be postgresql://user:password@host:port/database, a jdbc:postgresql: URL "
					+ "or a jdbc:h2: URL; the value given is not (value not shown, it may hold a password).");
			return null;
		}

		private Database jdbcPostgres(String name, String url) {
			try {
				URI uri = new URI(url.substring("jdbc:".length()));
				String user = "postgres";
				String password = "";
				List<String> rest = new ArrayList<>();
				if (uri.getRawQuery() != null) {
					for (String pair : uri.getRawQuery().split("&")) {
						String[] kv = pair.split("=", 2);
						if (kv[0].equals("user") && kv.length == 2) {
							user = decode(kv[1]);
						}
						else if (kv[0].equals("password") && kv.length == 2) {
							password = decode(kv[1]);
						}
						else {
							rest.add(pair);
						}
					}
				}
				// Credentials travel apart from the URL, which libraries log (HikariCP, Flyway).
				int q = url.indexOf('?');
				String bare = (q < 0 ? url : url.substring(0, q)) + (rest.isEmpty() ? "" : "?" + String.join("&", rest));
				int port = uri.getPort() == -1 ? 5432 : uri.getPort();
				return new Database(DatabaseKind.POSTGRESQL, bare, user, password,
						"PostgreSQL " + uri.getHost() + ":" + port + uri.getPath());
			}
			catch (URISyntaxException e) {
				fail(name, name + " is not a valid jdbc:postgresql: URL (value not shown, it may hold a password).");
				return null;
			}
		}

		Optional<URI> redisUrl(String name) {
			String v = raw(name);
			if (v == null) {
				return Optional.empty();
			}
			try {
				URI uri = new URI(v);
				if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
					return Optional.of(uri);
				}
			}
			catch (URISyntaxException e) {
				// reported below
			}
			fail(name, name + " must be redis://[:password@]host:port[/db] or rediss://… (value not shown).");
			return Optional.empty();
		}

		Optional<Smtp> smtp(String name) {
			String v = raw(name);
			if (v == null) {
				return Optional.empty();
			}
			try {
				URI uri = new URI(v);
				boolean ssl = "smtps".equals(uri.getScheme());
				if ((ssl || "smtp".equals(uri.getScheme())) && uri.getHost() != null) {
					String user = null;
					String password = null;
					if (uri.getRawUserInfo() != null) {
						String[] info = uri.getRawUserInfo().split(":", 2);
						user = decodeUserInfo(info[0]);
						password = info.length == 2 ? decodeUserInfo(info[1]) : "";
					}
					int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 465 : 587;
					return Optional.of(new Smtp(uri.getHost(), port, user, password, ssl));
				}
			}
			catch (URISyntaxException | IllegalArgumentException e) {
				// reported below
			}
			fail(name, name + " must be smtp://user:password@host:port or smtps://user:password@host:port "
					+ "(value not shown, it may hold a password).");
			return Optional.empty();
		}

		String mailFrom(String name, String appName, URI issuer) {
			String v = raw(name);
			if (v != null) {
				try {
					new jakarta.mail.internet.InternetAddress(v, true);
					return v;
				}
				catch (jakarta.mail.internet.AddressException e) {
					fail(name, name + " must be an email address such as \"Acme <no-reply@acme.com>\", not '" + v
							+ "'.");
					return null;
				}
			}
			String host = issuer == null || issuer.getHost() == null ? "localhost" : issuer.getHost();
			return appName.replaceAll("[\"<>]", "") + " <no-reply@" + host + ">";
		}

		Optional<byte[]> masterKey(String name) {
			String v = raw(name);
			if (v == null) {
				return Optional.empty();
			}
			try {
				byte[] key = Base64.getDecoder().decode(v);
				if (key.length == 32) {
					return Optional.of(key);
				}
				fail(name, name + " must be 32 random bytes in base64 (openssl rand -base64 32); the value given "
						+ "decodes to " + key.length + " bytes.");
			}
			catch (IllegalArgumentException e) {
				fail(name, name + " must be 32 random bytes in base64 (openssl rand -base64 32); the value given "
						+ "is not base64.");
			}
			return Optional.empty();
		}

		/**
		 * Master keys still accepted for opening sealed values during a rotation: a comma-separated list of
		 * 32-byte base64 keys. A bad entry is named by its position, never echoed.
		 */
		List<byte[]> previousMasterKeys(String name) {
			String v = raw(name);
			if (v == null) {
				return List.of();
			}
			List<byte[]> keys = new ArrayList<>();
			String[] parts = v.split(",", -1);
			for (int i = 0; i < parts.length; i++) {
				String part = parts[i].trim();
				byte[] key = null;
				try {
					key = Base64.getDecoder().decode(part);
				}
				catch (IllegalArgumentException e) {
					// reported below
				}
				if (key == null || key.length != 32) {
					fail(name, name + " must be a comma-separated list of master keys, each 32 random bytes in "
							+ "base64; entry " + (i + 1) + " of " + parts.length + " is not (value not shown).");
					return List.of();
				}
				keys.add(key);
			}
			return List.copyOf(keys);
		}

		Backup backup() {
			Optional<byte[]> key = masterKey("PLINTO_BACKUP_KEY");
			String passphrase = lookup.apply("PLINTO_BACKUP_PASSPHRASE");
			if (passphrase != null && passphrase.isEmpty()) {
				passphrase = null;
			}
			if (passphrase != null && passphrase.length() < Backup.MIN_PASSPHRASE_LENGTH) {
				fail("PLINTO_BACKUP_PASSPHRASE", "PLINTO_BACKUP_PASSPHRASE must be at least "
						+ Backup.MIN_PASSPHRASE_LENGTH + " characters long (value not shown).");
			}
			String dirText = raw("PLINTO_BACKUP_DIR");
			Optional<Path> dir = Optional.ofNullable(dirText).map(d -> Path.of(d).toAbsolutePath().normalize());
			String scheduleText = raw("PLINTO_BACKUP_SCHEDULE");
			String keepText = raw("PLINTO_BACKUP_KEEP");
			String maxAgeText = raw("PLINTO_BACKUP_MAX_AGE");
			if (dir.isEmpty()) {
				for (String[] v : new String[][] { { "PLINTO_BACKUP_SCHEDULE", scheduleText },
						{ "PLINTO_BACKUP_KEEP", keepText }, { "PLINTO_BACKUP_MAX_AGE", maxAgeText } }) {
					if (v[1] != null) {
						fail(v[0], v[0] + " has no effect without PLINTO_BACKUP_DIR; set the directory scheduled "
								+ "backups go to, or unset " + v[0] + ".");
					}
				}
			}
			else if (key.isEmpty() && !failed("PLINTO_BACKUP_KEY")) {
				fail("PLINTO_BACKUP_KEY", "PLINTO_BACKUP_KEY is required with PLINTO_BACKUP_DIR: scheduled backups "
						+ "are encrypted with it (openssl rand -base64 32; keep it apart from the backups).");
			}
			String scheduleValue = scheduleText == null ? Backup.DEFAULT_SCHEDULE : scheduleText;
			CronExpression schedule = cron(scheduleValue);
			if (schedule == null) {
				fail("PLINTO_BACKUP_SCHEDULE", "PLINTO_BACKUP_SCHEDULE must be a cron expression such as "
						+ "'0 3 * * *' (minute hour day month weekday) or '0 0 3 * * *' (with seconds) or @daily, "
						+ "not '" + scheduleValue + "'.");
			}
			BackupRetention keep = BackupRetention.parse(keepText == null ? BackupRetention.DEFAULT : keepText);
			if (keep == null) {
				fail("PLINTO_BACKUP_KEEP", "PLINTO_BACKUP_KEEP must be a list such as '7 daily, 4 weekly' (counts "
						+ "of latest, hourly, daily, weekly or monthly backups), not '" + keepText + "'.");
			}
			Duration maxAge = null;
			if (maxAgeText != null) {
				maxAge = duration("PLINTO_BACKUP_MAX_AGE", maxAgeText, Duration.ofMinutes(1));
			}
			else if (schedule != null) {
				maxAge = longestInterval(schedule).multipliedBy(2);
			}
			return new Backup(key, Optional.ofNullable(passphrase), dir, schedule, scheduleValue, keep, maxAge);
		}

		/**
		 * Spring's cron syntax (six fields, seconds first, or a macro such as {@code @daily}); the usual five-field
		 * form is accepted too and runs at second 0.
		 */
		private static CronExpression cron(String text) {
			String expression = text.trim().split("\\s+").length == 5 ? "0 " + text.trim() : text.trim();
			try {
				return CronExpression.parse(expression);
			}
			catch (IllegalArgumentException e) {
				return null;
			}
		}

		/** The longest gap between two of the schedule's next 50 runs, counted from a fixed date (2025-01-01). */
		private static Duration longestInterval(CronExpression schedule) {
			java.time.ZonedDateTime t = schedule.next(java.time.ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0,
					java.time.ZoneOffset.UTC));
			Duration longest = Duration.ofMinutes(1);
			for (int i = 0; i < 50 && t != null; i++) {
				java.time.ZonedDateTime next = schedule.next(t);
				if (next == null) {
					break;
				}
				Duration gap = Duration.between(t, next);
				if (gap.compareTo(longest) > 0) {
					longest = gap;
				}
				t = next;
			}
			return longest;
		}

		private static String decode(String s) {
			return URLDecoder.decode(s, StandardCharsets.UTF_8);
		}

		/** Percent-decodes URL user info, where '+' is a literal plus (RFC 3986 §3.2.1), not a space. */
		private static String decodeUserInfo(String s) {
			return decode(s.replace("+", "%2B"));
		}
	}
}
