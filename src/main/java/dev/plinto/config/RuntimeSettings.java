package dev.plinto.config;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code PLINTO_*} variables an operator may change while Plinto runs, and how an override applies. An override
 * is the same variable with another value, stored in the database; the effective settings are
 * {@link PlintoSettings#parse} over the environment with the overrides laid on top, so an override is validated by
 * the same rules, with the same sentences, as the environment variable it replaces.
 * <p>
 * Only policy is on the list: the first factors users may sign in with, the MFA policy, the password minimum,
 * branding shown on the pages, and rate limits with the lockout. Secrets, addresses, storage and anything read
 * once at start stay in the environment: a database row must never be able to disclose or replace a key, and an
 * operator who can change a setting here cannot lock themselves out of the server's own infrastructure (OWASP ASVS
 * v4 §14.1, "Build and Deploy": configuration that decides security is explicit and reviewable; every change is
 * audited as {@code settings.changed}).
 */
public final class RuntimeSettings {

	/** The largest value stored for one variable (the {@code value} column of V28). */
	public static final int MAX_VALUE_LENGTH = 1000;

	/** The groups the dashboard shows the variables in. */
	public enum Group {
		SIGN_IN, MFA, PASSWORD, BRANDING, RATE_LIMITS;

		/** The group's name in the API and the dashboard's messages, e.g. {@code rate_limits}. */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** A variable that can be changed at run time, its group, and how its effective value is written back. */
	public record Variable(String name, Group group, Function<PlintoSettings, String> text) {
	}

	private static final List<Variable> VARIABLES = List.of(
			new Variable("PLINTO_SIGN_IN_METHODS", Group.SIGN_IN, s -> s.signIn()
				.methods()
				.stream()
				.map(PlintoSettings.SignInMethod::key)
				.collect(Collectors.joining(","))),
			new Variable("PLINTO_EMAIL_SIGN_UP", Group.SIGN_IN, s -> String.valueOf(s.signIn().emailSignUp())),
			new Variable("PLINTO_RATE_LIMIT_SIGN_IN_MAIL", Group.SIGN_IN, s -> s.signIn().mailRate().toString()),
			new Variable("PLINTO_MFA", Group.MFA, s -> lower(s.mfa().policy())),
			new Variable("PLINTO_RATE_LIMIT_MFA", Group.MFA, s -> s.mfa().perUser().toString()),
			new Variable("PLINTO_PASSWORD_MIN_LENGTH", Group.PASSWORD, s -> String.valueOf(s.passwordMinLength())),
			new Variable("PLINTO_LOGO_URL", Group.BRANDING, s -> uri(s.pages().branding().logoUrl())),
			new Variable("PLINTO_PRIMARY_COLOR", Group.BRANDING, s -> s.pages().branding().primaryColor()),
			new Variable("PLINTO_COLOR_SCHEME", Group.BRANDING, s -> lower(s.pages().branding().colorScheme())),
			new Variable("PLINTO_SUPPORT_EMAIL", Group.BRANDING,
					s -> s.pages().branding().supportEmail().orElse(null)),
			new Variable("PLINTO_TERMS_URL", Group.BRANDING, s -> uri(s.pages().branding().termsUrl())),
			new Variable("PLINTO_PRIVACY_URL", Group.BRANDING, s -> uri(s.pages().branding().privacyUrl())),
			new Variable("PLINTO_RATE_LIMIT_SIGN_IN", Group.RATE_LIMITS, s -> s.rateLimits().signInPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_SIGN_UP", Group.RATE_LIMITS, s -> s.rateLimits().signUpPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_PASSWORD_RESET", Group.RATE_LIMITS,
					s -> s.rateLimits().passwordResetPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_VERIFICATION_MAIL", Group.RATE_LIMITS,
					s -> s.rateLimits().verificationMailPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_REFRESH", Group.RATE_LIMITS, s -> s.rateLimits().refreshPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_INVITATIONS", Group.RATE_LIMITS,
					s -> s.organizations().invitationsPerUser().toString()),
			new Variable("PLINTO_RATE_LIMIT_INVITATION_ACCEPT", Group.RATE_LIMITS,
					s -> s.organizations().invitationAcceptPerIp().toString()),
			new Variable("PLINTO_RATE_LIMIT_ADMIN_API", Group.RATE_LIMITS,
					s -> s.rateLimits().adminApiPerKey().toString()),
			new Variable("PLINTO_LOCKOUT_THRESHOLD", Group.RATE_LIMITS,
					s -> String.valueOf(s.rateLimits().lockoutThreshold())),
			new Variable("PLINTO_LOCKOUT_BASE_DELAY", Group.RATE_LIMITS,
					s -> PlintoSettings.DurationFormat.format(s.rateLimits().lockoutBaseDelay())),
			new Variable("PLINTO_LOCKOUT_WINDOW", Group.RATE_LIMITS,
					s -> PlintoSettings.DurationFormat.format(s.rateLimits().lockoutWindow())));

	private static final Map<String, Variable> BY_NAME = VARIABLES.stream()
		.collect(Collectors.toMap(Variable::name, v -> v, (a, b) -> a, LinkedHashMap::new));

	private RuntimeSettings() {
	}

	/** Every variable that can be changed at run time, in the order the dashboard shows them. */
	public static List<Variable> variables() {
		return VARIABLES;
	}

	public static Optional<Variable> variable(String name) {
		return Optional.ofNullable(BY_NAME.get(name));
	}

	/**
	 * The settings with {@code overrides} laid over {@code environment}: each override replaces the variable's
	 * value, an empty override stands for the variable being unset (its built-in default).
	 * @throws SettingsException naming each override that is not on the list or too long, or, from the parser,
	 *     each variable whose value (overridden or not) cannot be used
	 */
	public static PlintoSettings parse(Function<String, String> environment, Map<String, String> overrides) {
		checkChanges(overrides);
		return PlintoSettings.parse(name -> overrides.containsKey(name) ? overrides.get(name) : environment.apply(name));
	}

	/**
	 * Refuses, before any value is parsed, changes of variables that are not on the list and values longer than
	 * {@link #MAX_VALUE_LENGTH}; a null value (a removal) passes when the name is on the list.
	 * @throws SettingsException one sentence per refused change
	 */
	public static void checkChanges(Map<String, String> changes) {
		List<String> refused = changes.entrySet()
			.stream()
			.map(e -> refusal(e.getKey(), e.getValue()))
			.flatMap(Optional::stream)
			.toList();
		if (!refused.isEmpty()) {
			throw new SettingsException(refused);
		}
	}

	/** Why {@code name} cannot be set to {@code value} at run time, before its value is parsed; empty if it can. */
	private static Optional<String> refusal(String name, String value) {
		if (!BY_NAME.containsKey(name)) {
			return Optional.of((name == null ? "(null)" : name) + " cannot be changed at run time; the variables "
					+ "that can are " + String.join(", ", BY_NAME.keySet()) + ".");
		}
		if (value != null && value.length() > MAX_VALUE_LENGTH) {
			return Optional.of(name + " must be at most " + MAX_VALUE_LENGTH + " characters.");
		}
		return Optional.empty();
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	private static String uri(Optional<URI> uri) {
		return uri.map(URI::toString).orElse(null);
	}

	/** The names, for documentation and messages. */
	public static List<String> names() {
		return Arrays.asList(BY_NAME.keySet().toArray(String[]::new));
	}
}
