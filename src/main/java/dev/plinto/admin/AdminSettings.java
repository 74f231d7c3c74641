package dev.plinto.admin;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.RuntimeSettings;
import dev.plinto.config.SettingsException;
import dev.plinto.platform.DatabaseSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The settings that can be changed at run time, for the Backend API ({@code /v1/admin/settings}), the admin
 * dashboard: each allowed variable ({@link RuntimeSettings}) with the value in effect,
 * the value the environment gives it, and where the value comes from. A change is validated as a whole by the
 * environment's own parser, stored with its audit event ({@code settings.changed}, the old and new values) in one
 * transaction, applied on this node at once and on the others within the poll delay of {@link DatabaseSettings}.
 */
@Service
public final class AdminSettings {

	private static final Pattern VARIABLE = Pattern.compile("PLINTO_[A-Z0-9_]+");

	private final DatabaseSettings settings;

	private final AuditLog audit;

	private final TransactionOperations tx;

	AdminSettings(DatabaseSettings settings, AuditLog audit, TransactionOperations tx) {
		this.settings = settings;
		this.audit = audit;
		this.tx = tx;
	}

	/** Where a value in effect comes from. */
	public enum Source {
		/** Neither the environment nor the database sets it: Plinto's built-in default. */
		DEFAULT,
		/** The environment variable. */
		ENVIRONMENT,
		/** An override stored at run time. */
		DATABASE
	}

	@Schema(description = "A setting that can be changed at run time")
	public record Setting(@Schema(example = "PLINTO_MFA") String name,
			@Schema(description = "The dashboard's group", allowableValues = { "sign_in", "mfa", "password",
					"branding", "rate_limits" }) String group,
			@Schema(description = "The value in effect, in the variable's own syntax; null when unset", nullable = true, example = "required") String value,
			@Schema(description = "The value without any override (the environment's, else the default); null when unset", nullable = true, example = "optional") String environmentValue,
			@Schema(allowableValues = { "default", "environment", "database" }) String source,
			@Schema(description = "When the override was stored; null without one", nullable = true) Instant updatedAt,
			@Schema(description = "Who stored it: an API key id, a dashboard user id or `cli`; null without one", nullable = true) String updatedBy) {
	}

	public record Settings(List<Setting> settings) {
	}

	/** Every setting that can be changed at run time, in the dashboard's order, as in effect on this node. */
	public Settings list() {
		PlintoSettings current = settings.current();
		PlintoSettings environment = settings.environment();
		Map<String, DatabaseSettings.Stored> overrides = settings.overrides();
		return new Settings(RuntimeSettings.variables().stream().map(v -> {
			DatabaseSettings.Stored stored = overrides.get(v.name());
			Source source = stored != null ? Source.DATABASE
					: settings.environmentValue(v.name()) != null ? Source.ENVIRONMENT : Source.DEFAULT;
			return new Setting(v.name(), v.group().key(), v.text().apply(current), v.text().apply(environment),
					source.name().toLowerCase(java.util.Locale.ROOT), stored == null ? null : stored.updatedAt(),
					stored == null ? null : stored.updatedBy());
		}).toList());
	}

	/**
	 * Changes settings as {@code actor} (an API key id, a user id, {@code cli}): each name maps to its new value in
	 * the variable's syntax ({@code ""} for unset, the built-in default) or to null for the environment's value.
	 * Nothing is stored unless every change is allowed and the resulting settings parse.
	 * @throws ApiException 400 {@code validation_failed}, one entry per variable in {@code errors} naming it
	 */
	public Settings change(Map<String, String> changes, String actor, ClientInfo client) {
		try {
			tx.executeWithoutResult(status -> {
				DatabaseSettings.Outcome outcome = settings.store(changes, actor);
				if (!outcome.changes().isEmpty()) {
					AuditLog.actingAs(actor, () -> {
						audit.record(AuditEvent.Type.SETTINGS_CHANGED, null, null, client,
								detail(outcome.changes(), outcome.before(), outcome.after()));
						return null;
					});
				}
			});
		}
		catch (SettingsException e) {
			throw refused(e);
		}
		settings.reload();
		return list();
	}

	/** {@code PLINTO_MFA: optional → required; PLINTO_PRIMARY_COLOR: #0a7d4f → #4f46e5 (environment)}. */
	private static String detail(List<DatabaseSettings.Change> changes, PlintoSettings before, PlintoSettings after) {
		return changes.stream().map(c -> {
			RuntimeSettings.Variable v = RuntimeSettings.variable(c.name()).orElseThrow();
			return c.name() + ": " + shown(v.text().apply(before)) + " → " + shown(v.text().apply(after))
					+ (c.after() == null ? " (environment)" : "");
		}).collect(Collectors.joining("; "));
	}

	private static String shown(String value) {
		return value == null ? "(unset)" : value;
	}

	/** The parser's sentences as a 400, each in {@code errors} under the variable it names. */
	static ApiException refused(SettingsException e) {
		List<ApiException.FieldError> errors = e.problems().stream().map(sentence -> {
			Matcher m = VARIABLE.matcher(sentence);
			String field = m.find() ? m.group() : "settings";
			return new ApiException.FieldError(field, sentence.contains("cannot be changed at run time")
					? "not_changeable" : "invalid_value", sentence);
		}).toList();
		return new ApiException(ErrorCode.VALIDATION_FAILED, String.join(" ", e.problems()), errors, null);
	}
}
