package dev.plinto.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Overrides laid over the environment: the allowed list, the parser's own rules and sentences, unset and reset. */
class RuntimeSettingsTests {

	private static final Map<String, String> ENVIRONMENT = Map.of("PLINTO_MFA", "optional", "PLINTO_PRIMARY_COLOR",
			"#0a7d4f", "PLINTO_RATE_LIMIT_SIGN_IN", "60/1m");

	private static Map<String, String> overrides(String... pairs) {
		Map<String, String> map = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put(pairs[i], pairs[i + 1]);
		}
		return map;
	}

	@Test
	void parseWhenOverrideGivenThenItReplacesTheEnvironmentValue() {
		PlintoSettings s = RuntimeSettings.parse(ENVIRONMENT::get, overrides("PLINTO_MFA", "required",
				"PLINTO_SIGN_IN_METHODS", "passkey,email_code", "PLINTO_RATE_LIMIT_SIGN_IN", "5/1m",
				"PLINTO_PASSWORD_MIN_LENGTH", "12"));
		assertThat(s.mfa().policy()).isEqualTo(PlintoSettings.MfaPolicy.REQUIRED);
		assertThat(s.signIn().methods()).containsExactlyInAnyOrder(PlintoSettings.SignInMethod.PASSKEY,
				PlintoSettings.SignInMethod.EMAIL_CODE);
		assertThat(s.rateLimits().signInPerIp()).isEqualTo(new PlintoSettings.Rate(5, java.time.Duration.ofMinutes(1)));
		assertThat(s.passwordMinLength()).isEqualTo(12);
		assertThat(s.pages().branding().primaryColor()).as("not overridden: the environment's").isEqualTo("#0a7d4f");
	}

	@Test
	void parseWhenOverrideEmptyThenVariableCountsAsUnsetAndTakesTheDefault() {
		PlintoSettings s = RuntimeSettings.parse(ENVIRONMENT::get, overrides("PLINTO_PRIMARY_COLOR", ""));
		assertThat(s.pages().branding().primaryColor()).isEqualTo("#4f46e5");
	}

	@Test
	void parseWhenValueInvalidThenTheEnvironmentParsersSentenceNamingTheVariable() {
		SettingsException e = catchThrowableOfType(SettingsException.class,
				() -> RuntimeSettings.parse(ENVIRONMENT::get, overrides("PLINTO_MFA", "sometimes")));
		SettingsException fromEnvironment = catchThrowableOfType(SettingsException.class,
				() -> PlintoSettings.parse(Map.of("PLINTO_MFA", "sometimes")::get));
		assertThat(e.problems()).isEqualTo(fromEnvironment.problems());
		assertThat(e.problems()).singleElement().asString().startsWith("PLINTO_MFA ");
	}

	@Test
	void parseWhenPasswordMinimumBelowEightOrAboveSixtyFourThenRefused() {
		for (String bad : new String[] { "7", "0", "65", "twelve" }) {
			SettingsException e = catchThrowableOfType(SettingsException.class,
					() -> RuntimeSettings.parse(ENVIRONMENT::get, overrides("PLINTO_PASSWORD_MIN_LENGTH", bad)));
			assertThat(e).as(bad).isNotNull();
			assertThat(e.problems()).singleElement().asString()
				.isEqualTo("PLINTO_PASSWORD_MIN_LENGTH must be a whole number from 8 to 64, not '" + bad + "'.");
		}
	}

	@Test
	void parseWhenVariableNotOnTheListThenRefusedNamingItBeforeAnyValueIsParsed() {
		for (String name : new String[] { "PLINTO_MASTER_KEY", "PLINTO_DATABASE_URL", "PLINTO_APP_NAME",
				"PLINTO_LOGO_FILE", "PLINTO_NOT_A_SETTING" }) {
			SettingsException e = catchThrowableOfType(SettingsException.class,
					() -> RuntimeSettings.parse(ENVIRONMENT::get, overrides(name, "x", "PLINTO_MFA", "required")));
			assertThat(e).as(name).isNotNull();
			assertThat(e.problems()).singleElement().asString().startsWith(name + " cannot be changed at run time");
		}
	}

	@Test
	void checkChangesWhenRemovalOfUnknownNameOrValueTooLongThenRefused() {
		Map<String, String> removal = new HashMap<>();
		removal.put("PLINTO_PORT", null);
		assertThat(catchThrowableOfType(SettingsException.class, () -> RuntimeSettings.checkChanges(removal))
			.problems()).singleElement().asString().startsWith("PLINTO_PORT cannot be changed at run time");
		assertThat(catchThrowableOfType(SettingsException.class, () -> RuntimeSettings
			.checkChanges(Map.of("PLINTO_TERMS_URL", "https://example.com/" + "a".repeat(1000)))).problems())
			.containsExactly("PLINTO_TERMS_URL must be at most 1000 characters.");
	}

	@Test
	void variablesWhenListedThenEachIsReadByTheParserAndWrittenBackAsItParses() {
		PlintoSettings defaults = PlintoSettings.parse(name -> null);
		for (RuntimeSettings.Variable v : RuntimeSettings.variables()) {
			String text = v.text().apply(defaults);
			if (text == null) {
				continue; // an optional setting, unset by default
			}
			PlintoSettings again = RuntimeSettings.parse(name -> null, Map.of(v.name(), text));
			assertThat(v.text().apply(again)).as(v.name()).isEqualTo(text);
		}
		PlintoSettings set = RuntimeSettings.parse(name -> null, Map.of("PLINTO_LOGO_URL",
				"https://cdn.example.com/logo.svg", "PLINTO_SUPPORT_EMAIL", "help@example.com"));
		assertThat(RuntimeSettings.variable("PLINTO_LOGO_URL").orElseThrow().text().apply(set))
			.isEqualTo("https://cdn.example.com/logo.svg");
		assertThat(RuntimeSettings.variable("PLINTO_SUPPORT_EMAIL").orElseThrow().text().apply(set))
			.isEqualTo("help@example.com");
	}

	@Test
	void variablesWhenListedThenNoSecretOrInfrastructure() {
		assertThat(RuntimeSettings.names()).noneMatch(n -> n.contains("KEY") || n.contains("SECRET")
				|| n.contains("PASSPHRASE") || n.contains("DATABASE") || n.contains("REDIS") || n.contains("SMTP")
				|| n.endsWith("_FILE") || n.endsWith("_DIR") || n.contains("ISSUER"));
	}

	@Test
	void configurationReferenceWhenReadThenMarksExactlyTheVariablesChangeableAtRunTime() throws java.io.IOException {
		java.util.Set<String> marked = new java.util.TreeSet<>();
		for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs/configuration.md"))) {
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\| `(PLINTO_[A-Z0-9_]+)` \\|").matcher(line);
			if (m.find() && line.contains("**Changeable at run time.**")) {
				marked.add(m.group(1));
			}
		}
		assertThat(marked).containsExactlyInAnyOrderElementsOf(RuntimeSettings.names());
	}
}
