package dev.plinto.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plinto.config.PlintoSettings.Database;
import dev.plinto.config.PlintoSettings.DatabaseKind;
import dev.plinto.config.PlintoSettings.Rate;
import dev.plinto.config.PlintoSettings.Smtp;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlintoSettingsTests {

	private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static PlintoSettings parse(String... nameValues) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; i < nameValues.length; i += 2) {
			env.put(nameValues[i], nameValues[i + 1]);
		}
		return PlintoSettings.parse(env::get);
	}

	/** The problems reported for the given variables; fails when the settings are accepted. */
	private static List<String> problems(String... nameValues) {
		SettingsException e = catchThrowableOfType(SettingsException.class, () -> parse(nameValues));
		assertThat(e).as("settings should have been refused").isNotNull();
		return e.problems();
	}

	@Test
	void parseWhenNothingSetThenEveryDocumentedDefault() {
		PlintoSettings s = parse();
		assertThat(s.port()).isEqualTo(8080);
		assertThat(s.issuer()).isEqualTo(URI.create("http://localhost:8080"));
		assertThat(s.audience()).isEqualTo("http://localhost:8080");
		Path dataDir = Path.of("./data").toAbsolutePath().normalize();
		assertThat(s.dataDir()).isEqualTo(dataDir);
		assertThat(s.database().kind()).isEqualTo(DatabaseKind.H2);
		assertThat(s.database().jdbcUrl()).startsWith("jdbc:h2:file:" + dataDir.resolve("plinto"));
		assertThat(s.database().description()).isEqualTo("embedded H2 at " + dataDir.resolve("plinto") + ".mv.db");
		assertThat(s.dbPoolSize()).isEqualTo(10);
		assertThat(s.redisUrl()).isEmpty();
		assertThat(s.smtp()).isEmpty();
		assertThat(s.appName()).isEqualTo("Plinto");
		assertThat(s.mailFrom()).isEqualTo("Plinto <no-reply@localhost>");
		assertThat(s.masterKey()).isEmpty();
		assertThat(s.accessTokenTtl()).isEqualTo(Duration.ofMinutes(10));
		assertThat(s.sessionIdleTimeout()).isEqualTo(Duration.ofDays(7));
		assertThat(s.sessionMaxLifetime()).isEqualTo(Duration.ofDays(30));
		assertThat(s.refreshReuseGrace()).isEqualTo(Duration.ZERO);
		assertThat(s.signingAlgorithm()).isEqualTo(PlintoSettings.SigningAlgorithm.RS256);
		assertThat(s.keyRotationInterval()).isEqualTo(Duration.ofDays(30));
		assertThat(s.keyActivationDelay()).isEqualTo(Duration.ofMinutes(10));
		assertThat(s.emailVerification()).isEqualTo(PlintoSettings.EmailVerification.OPTIONAL);
		assertThat(s.emailVerificationTtl()).isEqualTo(Duration.ofHours(24));
		assertThat(s.passwordResetTtl()).isEqualTo(Duration.ofMinutes(30));
		assertThat(s.emailVerificationUrl()).isEqualTo(URI.create("http://localhost:8080/verify-email"));
		assertThat(s.passwordResetUrl()).isEqualTo(URI.create("http://localhost:8080/reset-password"));
		assertThat(s.corsOrigins()).isEmpty();
		assertThat(s.logFormat()).isEqualTo(PlintoSettings.LogFormat.TEXT);
		assertThat(s.argon2()).isEqualTo(new PlintoSettings.Argon2(19456, 2, 1));
		PlintoSettings.RateLimits limits = s.rateLimits();
		assertThat(limits.signInPerIp()).isEqualTo(new Rate(60, Duration.ofMinutes(1)));
		assertThat(limits.signUpPerIp()).isEqualTo(new Rate(20, Duration.ofHours(1)));
		assertThat(limits.passwordResetPerIp()).isEqualTo(new Rate(10, Duration.ofHours(1)));
		assertThat(limits.verificationMailPerIp()).isEqualTo(new Rate(10, Duration.ofHours(1)));
		assertThat(limits.refreshPerIp()).isEqualTo(new Rate(600, Duration.ofMinutes(1)));
		assertThat(limits.lockoutThreshold()).isEqualTo(10);
		assertThat(limits.lockoutBaseDelay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(limits.lockoutWindow()).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void parseWhenWebhookVariablesUnsetOrSetThenSecureDefaultsOrTheirValues() {
		PlintoSettings.Webhooks defaults = parse().webhooks();
		assertThat(defaults.allowHttp()).isFalse();
		assertThat(defaults.allowedNetworks()).isEmpty();
		assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(defaults.logRetention()).isEqualTo(Duration.ofDays(30));
		assertThat(defaults.secretOverlap()).isEqualTo(Duration.ofHours(24));
		assertThat(defaults.disableAfter()).isEqualTo(Duration.ofDays(5));
		PlintoSettings.Webhooks set = parse("PLINTO_WEBHOOKS_ALLOW_HTTP", "true", "PLINTO_WEBHOOKS_ALLOWED_NETWORKS",
				"127.0.0.1, 10.20.0.0/16").webhooks();
		assertThat(set.allowHttp()).isTrue();
		assertThat(set.allowedNetworks()).containsExactly("127.0.0.1/32", "10.20.0.0/16");
		assertThat(problems("PLINTO_WEBHOOKS_ALLOW_HTTP", "yes", "PLINTO_WEBHOOKS_ALLOWED_NETWORKS", "intranet",
				"PLINTO_WEBHOOKS_TIMEOUT", "100ms")).hasSize(3);
	}

	@Test
	void parseWhenSignInVariablesUnsetOrSetThenEveryMethodNoMailSignUpOrTheirValues() {
		PlintoSettings.SignIn defaults = parse().signIn();
		assertThat(defaults.methods()).containsExactlyInAnyOrder(PlintoSettings.SignInMethod.values());
		assertThat(defaults.emailSignUp()).isFalse();
		assertThat(defaults.mailRate()).hasToString("10/1h");

		PlintoSettings.SignIn set = parse("PLINTO_SIGN_IN_METHODS", " Email_Code, password ", "PLINTO_EMAIL_SIGN_UP",
				"true", "PLINTO_RATE_LIMIT_SIGN_IN_MAIL", "3/10m").signIn();
		assertThat(set.methods()).containsExactlyInAnyOrder(PlintoSettings.SignInMethod.EMAIL_CODE,
				PlintoSettings.SignInMethod.PASSWORD);
		assertThat(set.enabled(PlintoSettings.SignInMethod.EMAIL_LINK)).isFalse();
		assertThat(set.emailSignUp()).isTrue();
		assertThat(set.mailRate()).hasToString("3/10m");
	}

	@Test
	void parseWhenSignInMethodsUnknownOrNoneThenOneSentenceNamingTheChoices() {
		assertThat(problems("PLINTO_SIGN_IN_METHODS", "password,sms")).containsExactly(
				"PLINTO_SIGN_IN_METHODS must be a comma-separated list of one or more of [password, passkey, "
						+ "email_code, email_link], not 'password,sms'.");
		assertThat(problems("PLINTO_SIGN_IN_METHODS", ",")).hasSize(1);
		assertThat(problems("PLINTO_EMAIL_SIGN_UP", "yes")).containsExactly(
				"PLINTO_EMAIL_SIGN_UP must be one of [true, false], not 'yes'.");
	}

	@Test
	void parseWhenNativeCryptoUnsetOrSetThenAutoOrTheValueAndABadValueIsNamed() {
		assertThat(parse().nativeCrypto()).isEqualTo(PlintoSettings.NativeCrypto.AUTO);
		assertThat(parse("PLINTO_NATIVE_CRYPTO", "OFF").nativeCrypto()).isEqualTo(PlintoSettings.NativeCrypto.OFF);
		assertThat(parse("PLINTO_NATIVE_CRYPTO", "auto").nativeCrypto()).isEqualTo(PlintoSettings.NativeCrypto.AUTO);
		assertThat(problems("PLINTO_NATIVE_CRYPTO", "on")).containsExactly(
				"PLINTO_NATIVE_CRYPTO must be one of [auto, off], not 'on'.");
	}

	@Test
	void parseWhenPortSetThenIssuerAndLinksFollowIt() {
		PlintoSettings s = parse("PLINTO_PORT", "9090");
		assertThat(s.port()).isEqualTo(9090);
		assertThat(s.issuer()).isEqualTo(URI.create("http://localhost:9090"));
		assertThat(s.passwordResetUrl()).isEqualTo(URI.create("http://localhost:9090/reset-password"));
	}

	@Test
	void parseWhenIssuerSetThenAudienceLinksAndMailFromFollowIt() {
		PlintoSettings s = parse("PLINTO_ISSUER", "https://auth.example.com/", "PLINTO_APP_NAME", "Acme");
		assertThat(s.issuer()).isEqualTo(URI.create("https://auth.example.com/"));
		assertThat(s.baseUrl()).isEqualTo("https://auth.example.com");
		assertThat(s.audience()).isEqualTo("https://auth.example.com/");
		assertThat(s.emailVerificationUrl()).isEqualTo(URI.create("https://auth.example.com/verify-email"));
		assertThat(s.mailFrom()).isEqualTo("Acme <no-reply@auth.example.com>");
	}

	@Test
	void parseWhenPostgresqlUrlWithEverythingThenJdbcUrlCredentialsAndDescriptionWithoutPassword() {
		PlintoSettings s = parse("PLINTO_DATABASE_URL",
				"postgresql://alice:s%40cr3t-pw@db.example.com:6543/plinto?sslmode=require",
				"PLINTO_MASTER_KEY", MASTER_KEY);
		Database db = s.database();
		assertThat(db.kind()).isEqualTo(DatabaseKind.POSTGRESQL);
		assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/plinto?sslmode=require");
		assertThat(db.username()).isEqualTo("alice");
		assertThat(db.password()).isEqualTo("s@cr3t-pw");
		assertThat(db.description()).isEqualTo("PostgreSQL db.example.com:6543/plinto");
		assertThat(db.toString()).doesNotContain("cr3t");
		assertThat(s.toString()).doesNotContain("cr3t");
	}

	@Test
	void parseWhenPostgresUrlWithoutPortOrUserThenPostgresDefaults() {
		Database db = parse("PLINTO_DATABASE_URL", "postgres://db.internal/auth", "PLINTO_MASTER_KEY", MASTER_KEY)
			.database();
		assertThat(db.kind()).isEqualTo(DatabaseKind.POSTGRESQL);
		assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/auth");
		assertThat(db.username()).isEqualTo("postgres");
		assertThat(db.password()).isEmpty();
	}

	@Test
	void parseWhenPasswordHoldsPlusSignThenItIsKeptLiterally() {
		// Passwords made with `openssl rand -base64` contain '+', which is not an escape in a URL's user info.
		Database db = parse("PLINTO_DATABASE_URL", "postgresql://app:a+b%2Fc%3D@db/plinto", "PLINTO_MASTER_KEY",
				MASTER_KEY)
			.database();
		assertThat(db.password()).isEqualTo("a+b/c=");
	}

	@Test
	void parseWhenJdbcPostgresqlUrlThenCredentialsTakenOutOfItsParameters() {
		String url = "jdbc:postgresql://pg.example.com:5433/plinto?user=bob&password=hunter2&ssl=true";
		Database db = parse("PLINTO_DATABASE_URL", url, "PLINTO_MASTER_KEY", MASTER_KEY).database();
		assertThat(db.kind()).isEqualTo(DatabaseKind.POSTGRESQL);
		assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.example.com:5433/plinto?ssl=true");
		assertThat(db.username()).isEqualTo("bob");
		assertThat(db.password()).isEqualTo("hunter2");
		assertThat(db.description()).isEqualTo("PostgreSQL pg.example.com:5433/plinto");
	}

	@Test
	void parseWhenJdbcH2UrlThenEmbeddedKindWithoutOptionsInDescription() {
		Database db = parse("PLINTO_DATABASE_URL", "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;PASSWORD=x").database();
		assertThat(db.kind()).isEqualTo(DatabaseKind.H2);
		assertThat(db.jdbcUrl()).isEqualTo("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;PASSWORD=x");
		assertThat(db.description()).isEqualTo("H2 at jdbc:h2:mem:test");
	}

	@Test
	void parseWhenDataDirSetThenEmbeddedDatabaseLivesThere() {
		PlintoSettings s = parse("PLINTO_DATA_DIR", "/var/lib/plinto");
		assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/plinto"));
		assertThat(s.database().jdbcUrl()).startsWith("jdbc:h2:file:/var/lib/plinto/plinto;");
	}

	@Test
	void parseWhenSmtpUrlThenHostPortCredentialsAndStartTls() {
		Smtp smtp = parse("PLINTO_SMTP_URL", "smtp://mailer:p%40ss@mail.example.com:2525").smtp().orElseThrow();
		assertThat(smtp).isEqualTo(new Smtp("mail.example.com", 2525, "mailer", "p@ss", false));
		assertThat(smtp.toString()).isEqualTo("smtp://mail.example.com:2525").doesNotContain("p@ss");
	}

	@Test
	void parseWhenSmtpsUrlWithoutPortThenImplicitTlsOn465() {
		Smtp smtp = parse("PLINTO_SMTP_URL", "smtps://mail.example.com").smtp().orElseThrow();
		assertThat(smtp).isEqualTo(new Smtp("mail.example.com", 465, null, null, true));
	}

	@Test
	void parseWhenSmtpUrlWithoutPortThenSubmissionPort() {
		assertThat(parse("PLINTO_SMTP_URL", "smtp://mail.example.com").smtp().orElseThrow().port()).isEqualTo(587);
	}

	@Test
	void parseWhenRedisUrlThenKept() {
		assertThat(parse("PLINTO_REDIS_URL", "rediss://:pw@cache.example.com:6380/2").redisUrl())
			.contains(URI.create("rediss://:pw@cache.example.com:6380/2"));
	}

	@ParameterizedTest
	@CsvSource({ "500ms, PT0.5S", "30s, PT30S", "10m, PT10M", "24h, PT24H", "7d, PT168H", "0s, PT0S",
			"PT1H30M, PT1H30M", "P2D, PT48H" })
	void parseWhenDurationShortOrIsoThenUnderstood(String text, String expected) {
		assertThat(parse("PLINTO_REFRESH_REUSE_GRACE", text).refreshReuseGrace()).isEqualTo(Duration.parse(expected));
	}

	@Test
	void formatWhenDurationThenShortestShortForm() {
		assertThat(PlintoSettings.DurationFormat.format(Duration.ofMillis(500))).isEqualTo("500ms");
		assertThat(PlintoSettings.DurationFormat.format(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(PlintoSettings.DurationFormat.format(Duration.ofMinutes(10))).isEqualTo("10m");
		assertThat(PlintoSettings.DurationFormat.format(Duration.ofHours(24))).isEqualTo("1d");
		assertThat(PlintoSettings.DurationFormat.format(Duration.ZERO)).isEqualTo("0s");
	}

	@Test
	void parseWhenRatesSetThenCountPerPeriod() {
		PlintoSettings.RateLimits limits = parse("PLINTO_RATE_LIMIT_SIGN_IN", "60/1m", "PLINTO_RATE_LIMIT_REFRESH",
				"5000/30s", "PLINTO_RATE_LIMIT_SIGN_UP", " 3 / 1h ")
			.rateLimits();
		assertThat(limits.signInPerIp()).isEqualTo(new Rate(60, Duration.ofMinutes(1)));
		assertThat(limits.refreshPerIp()).isEqualTo(new Rate(5000, Duration.ofSeconds(30)));
		assertThat(limits.signUpPerIp()).isEqualTo(new Rate(3, Duration.ofHours(1)));
		assertThat(limits.signInPerIp().toString()).isEqualTo("60/1m");
	}

	@Test
	void parseWhenCorsOriginsListedThenEachOriginKept() {
		assertThat(parse("PLINTO_CORS_ORIGINS", "https://app.example.com, http://localhost:3000,,").corsOrigins())
			.containsExactly("https://app.example.com", "http://localhost:3000");
	}

	@Test
	void parseWhenApiDocsUnsetOrOnThenOnAndWhenOffThenOff() {
		assertThat(parse().apiDocs()).isTrue();
		assertThat(parse("PLINTO_API_DOCS", "on").apiDocs()).isTrue();
		assertThat(parse("PLINTO_API_DOCS", "OFF").apiDocs()).isFalse();
	}

	@Test
	void parseWhenEnumsInAnyCaseThenUnderstood() {
		PlintoSettings s = parse("PLINTO_SIGNING_ALG", "eddsa", "PLINTO_EMAIL_VERIFICATION", "REQUIRED",
				"PLINTO_LOG_FORMAT", "json");
		assertThat(s.signingAlgorithm()).isEqualTo(PlintoSettings.SigningAlgorithm.EdDSA);
		assertThat(s.emailVerification()).isEqualTo(PlintoSettings.EmailVerification.REQUIRED);
		assertThat(s.logFormat()).isEqualTo(PlintoSettings.LogFormat.JSON);
	}

	@Test
	void parseWhenMasterKeyIs32BytesThenDecoded() {
		byte[] key = new byte[32];
		key[0] = 7;
		assertThat(parse("PLINTO_MASTER_KEY", Base64.getEncoder().encodeToString(key)).masterKey()).hasValue(key);
	}

	@Test
	void parseWhenBlankValueThenDefault() {
		assertThat(parse("PLINTO_ACCESS_TOKEN_TTL", "  ", "PLINTO_DATABASE_URL", "").accessTokenTtl())
			.isEqualTo(Duration.ofMinutes(10));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"PLINTO_ACCESS_TOKEN_TTL | soon",
			"PLINTO_ACCESS_TOKEN_TTL | 10 minutes",
			"PLINTO_ACCESS_TOKEN_TTL | 5s",
			"PLINTO_ACCESS_TOKEN_TTL | 600",
			"PLINTO_SESSION_MAX_LIFETIME | -3d",
			"PLINTO_REFRESH_REUSE_GRACE | PT-5S",
			"PLINTO_SIGNING_ALG | HS256",
			"PLINTO_SIGNING_ALG | none",
			"PLINTO_PORT | 70000",
			"PLINTO_PORT | http",
			"PLINTO_DB_POOL_SIZE | 0",
			"PLINTO_ISSUER | auth.example.com",
			"PLINTO_ISSUER | https://auth.example.com/?x=1",
			"PLINTO_ISSUER | ftp://auth.example.com",
			"PLINTO_EMAIL_VERIFICATION | sometimes",
			"PLINTO_LOG_FORMAT | xml",
			"PLINTO_API_DOCS | false",
			"PLINTO_NATIVE_CRYPTO | accp",
			"PLINTO_RATE_LIMIT_SIGN_IN | 60",
			"PLINTO_RATE_LIMIT_SIGN_IN | 0/1m",
			"PLINTO_RATE_LIMIT_SIGN_IN | many/1m",
			"PLINTO_RATE_LIMIT_SIGN_IN | 60/0s",
			"PLINTO_CORS_ORIGINS | https://app.example.com/callback",
			"PLINTO_CORS_ORIGINS | *",
			"PLINTO_MAIL_FROM | not an address",
			"PLINTO_MASTER_KEY | short",
			"PLINTO_MASTER_KEY | not*base64!",
			"PLINTO_MASTER_KEY | AAAAAAAAAAAAAAAAAAAAAA==",
			"PLINTO_MASTER_KEY_PREVIOUS | short",
			"PLINTO_REDIS_URL | http://cache:6379",
			"PLINTO_SMTP_URL | mail.example.com:25",
			"PLINTO_DATABASE_URL | mysql://db/plinto",
			"PLINTO_ARGON2_MEMORY_KIB | 64" })
	void parseWhenValueUnusableThenOneSentenceNamingTheVariable(String name, String value) {
		List<String> problems = problems(name, value);
		assertThat(problems).singleElement().satisfies(sentence -> {
			assertThat(sentence).startsWith(name + " ").endsWith(".");
			assertThat(sentence.trim().split("\\.\\s+[A-Z]")).as("one sentence").hasSize(1);
			assertThat(sentence).doesNotContain("Exception").doesNotContain("\n");
		});
	}

	@Test
	void parseWhenPreviousMasterKeysListedThenDecodedInOrder() {
		byte[] one = new byte[32];
		byte[] two = new byte[32];
		one[0] = 1;
		two[0] = 2;
		PlintoSettings s = parse("PLINTO_MASTER_KEY_PREVIOUS", Base64.getEncoder().encodeToString(one) + " , "
				+ Base64.getEncoder().encodeToString(two));
		assertThat(s.previousMasterKeys()).containsExactly(one, two);
		assertThat(parse().previousMasterKeys()).isEmpty();
	}

	@Test
	void parseWhenOnePreviousMasterKeyBadThenNamesItsPositionWithoutEchoingAny() {
		String good = Base64.getEncoder().encodeToString(new byte[32]);
		String bad = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());
		assertThat(problems("PLINTO_MASTER_KEY_PREVIOUS", good + "," + bad)).singleElement()
			.asString()
			.startsWith("PLINTO_MASTER_KEY_PREVIOUS ")
			.contains("entry 2 of 2")
			.doesNotContain(bad)
			.doesNotContain(good);
	}

	@Test
	void parseWhenMasterKeyWrongLengthThenSaysHowManyBytesWithoutEchoingIt() {
		String sixteen = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());
		assertThat(problems("PLINTO_MASTER_KEY", sixteen)).singleElement()
			.asString()
			.contains("32 random bytes")
			.contains("16 bytes")
			.doesNotContain(sixteen);
	}

	@Test
	void parseWhenPostgresqlWithoutMasterKeyThenRequiredSentenceWithoutPassword() {
		assertThat(problems("PLINTO_DATABASE_URL", "postgresql://app:Sup3rSecret@db.example.com/plinto"))
			.singleElement()
			.asString()
			.startsWith("PLINTO_MASTER_KEY is required with PostgreSQL")
			.doesNotContain("Sup3rSecret");
	}

	@Test
	void parseWhenPostgresqlWithBadMasterKeyThenOnlyTheKeyProblem() {
		assertThat(problems("PLINTO_DATABASE_URL", "postgresql://db/plinto", "PLINTO_MASTER_KEY", "short"))
			.singleElement()
			.asString()
			.startsWith("PLINTO_MASTER_KEY must be 32 random bytes");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"PLINTO_DATABASE_URL | postgresql://app:Sup3rSecret@/plinto",
			"PLINTO_DATABASE_URL | postgresql://app:Sup3rSecret@db.example.com",
			"PLINTO_DATABASE_URL | postgresql://app:Sup3rSecret%zz@db.example.com/plinto",
			"PLINTO_DATABASE_URL | mysql://app:Sup3rSecret@db.example.com/plinto",
			"PLINTO_DATABASE_URL | jdbc:postgresql://db.example.com/plinto?password=Sup3rSecret%",
			"PLINTO_REDIS_URL | redis://:Sup3rSecret@/0",
			"PLINTO_SMTP_URL | smtp://user:Sup3rSecret@",
			"PLINTO_SMTP_URL | ftp://user:Sup3rSecret@mail.example.com" })
	void parseWhenSecretBearingUrlMalformedThenSentenceNamesVariableButNotTheSecret(String name, String value) {
		assertThat(problems(name, value, "PLINTO_MASTER_KEY", MASTER_KEY)).singleElement()
			.asString()
			.startsWith(name + " ")
			.doesNotContain("Sup3rSecret");
	}

	@Test
	void parseWhenIdleTimeoutLongerThanMaxLifetimeThenSentenceNamingBoth() {
		assertThat(problems("PLINTO_SESSION_IDLE_TIMEOUT", "40d")).singleElement()
			.asString()
			.contains("PLINTO_SESSION_IDLE_TIMEOUT (40d)")
			.contains("PLINTO_SESSION_MAX_LIFETIME (30d)");
	}

	@Test
	void parseWhenSeveralValuesUnusableThenAllReportedTogether() {
		SettingsException e = catchThrowableOfType(SettingsException.class,
				() -> parse("PLINTO_ACCESS_TOKEN_TTL", "soon", "PLINTO_SIGNING_ALG", "HS256", "PLINTO_PORT", "-1",
						"PLINTO_DATABASE_URL", "postgresql://u:Sup3rSecret@db/plinto"));
		assertThat(e.problems()).hasSize(4)
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_ACCESS_TOKEN_TTL"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_SIGNING_ALG"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_PORT"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_MASTER_KEY"));
		assertThat(e.getMessage()).doesNotContain("Sup3rSecret").contains(e.problems().get(0));
	}

	@Test
	void parseWhenMfaVariablesUnsetThenOptionalAndWebAuthnFollowsTheIssuer() {
		PlintoSettings.Mfa local = parse().mfa();
		PlintoSettings.Mfa hosted = parse("PLINTO_ISSUER", "https://auth.example.com:8443/").mfa();

		assertThat(local.policy()).isEqualTo(PlintoSettings.MfaPolicy.OPTIONAL);
		assertThat(local.perUser()).hasToString("30/1m");
		assertThat(local.webauthnRpId()).isEqualTo("localhost");
		assertThat(local.webauthnOrigins()).containsExactly("http://localhost:8080");
		assertThat(hosted.webauthnRpId()).isEqualTo("auth.example.com");
		assertThat(hosted.webauthnOrigins()).containsExactly("https://auth.example.com:8443");
		assertThat(local.reauthenticationWindow()).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void parseWhenMfaVariablesSetThenUsed() {
		PlintoSettings.Mfa mfa = parse("PLINTO_MFA", "REQUIRED", "PLINTO_RATE_LIMIT_MFA", "5/1h",
				"PLINTO_WEBAUTHN_RP_ID", "example.com", "PLINTO_WEBAUTHN_ORIGINS",
				"https://app.example.com, https://example.com", "PLINTO_REAUTHENTICATION_WINDOW", "5m").mfa();

		assertThat(mfa.policy()).isEqualTo(PlintoSettings.MfaPolicy.REQUIRED);
		assertThat(mfa.perUser()).hasToString("5/1h");
		assertThat(mfa.webauthnRpId()).isEqualTo("example.com");
		assertThat(mfa.webauthnOrigins()).containsExactly("https://app.example.com", "https://example.com");
		assertThat(mfa.reauthenticationWindow()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void parseWhenMfaVariablesUnusableThenSentencesNamingThem() {
		assertThat(problems("PLINTO_MFA", "sometimes")).singleElement().asString().startsWith("PLINTO_MFA ");
		assertThat(problems("PLINTO_REAUTHENTICATION_WINDOW", "30s")).singleElement().asString()
			.startsWith("PLINTO_REAUTHENTICATION_WINDOW ");
		assertThat(problems("PLINTO_WEBAUTHN_ORIGINS", "https://app.example.com/login")).singleElement().asString()
			.startsWith("PLINTO_WEBAUTHN_ORIGINS ");
		assertThat(problems("PLINTO_WEBAUTHN_RP_ID", "other.example", "PLINTO_WEBAUTHN_ORIGINS",
				"https://app.example.com")).singleElement().asString().startsWith("PLINTO_WEBAUTHN_RP_ID (other.example)");
	}

	@Test
	void parseWhenAuditRetentionThenDefaultYearZeroForeverAndShortOnesRefused() {
		assertThat(parse().auditRetention()).isEqualTo(Duration.ofDays(365));
		assertThat(parse("PLINTO_AUDIT_RETENTION", "0s").auditRetention()).isZero();
		assertThat(parse("PLINTO_AUDIT_RETENTION", "90d").auditRetention()).isEqualTo(Duration.ofDays(90));
		assertThat(problems("PLINTO_AUDIT_RETENTION", "30m")).singleElement().asString()
			.isEqualTo("PLINTO_AUDIT_RETENTION must be 0s (keep events forever) or at least 1d, not '30m'.");
		assertThat(problems("PLINTO_AUDIT_RETENTION", "a year")).singleElement().asString()
			.startsWith("PLINTO_AUDIT_RETENTION must be a duration");
	}

	@Test
	void parseWhenTrustedProxiesListedThenEachKeptAsCidr() {
		assertThat(parse().trustedProxies()).isEmpty();
		assertThat(parse("PLINTO_TRUSTED_PROXIES", " 10.0.0.0/8, 192.0.2.7 ,fd00::/8,::1").trustedProxies())
			.containsExactly("10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "::1/128");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = { "proxy.internal", "10.0.0.0/33", "256.1.1.1", "10.0.0/8", "fd00::/129",
			"10.0.0.1/abc", "*" })
	void parseWhenTrustedProxyNotAnAddressOrRangeThenRefusedNamingIt(String entry) {
		assertThat(problems("PLINTO_TRUSTED_PROXIES", "127.0.0.1," + entry)).singleElement()
			.asString()
			.startsWith("PLINTO_TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges")
			.contains("'" + entry + "'");
	}
}
