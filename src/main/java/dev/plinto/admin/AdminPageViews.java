package dev.plinto.admin;

import java.util.List;
import java.util.Map;

/**
 * The models of the dashboard's templates ({@code src/main/jte/admin}), public because the precompiled templates
 * live in another package. Plain values: the controllers fill them, the templates only print them.
 */
public final class AdminPageViews {

	private AdminPageViews() {
	}

	/** A section of the navigation: its path and the message key of its name. */
	public record Section(String path, String key) {
	}

	/**
	 * The frame of every page: the sections, the current one, and whether the administrator may post changes.
	 *
	 * @param current the path of the current section
	 * @param mayChange false for {@code support}, whose pages show no forms
	 * @param role the role's name, shown beside the navigation
	 */
	public record Frame(List<Section> sections, String current, boolean mayChange, String role) {
	}

	/** The overview: the numbers, the charts and the per-method and per-reason totals of the period. */
	public record Overview(DashboardStats.Overview numbers, DashboardChart activeUsers, DashboardChart signIns,
			DashboardChart newUsers, Map<String, Long> signInsByMethod, Map<String, Long> failuresByReason) {
	}

	/** A signing key: its kid, algorithm, times and state ({@code active}, {@code upcoming}, {@code published}, {@code retired}). */
	/**
	 * A setting of the settings page: the value in the field (in effect, or as typed when refused), the value
	 * without an override, its source, when and by whom it was overridden, and the refusal's sentence.
	 */
	public record SettingRow(String name, String value, String environmentValue, String source, String updated,
			String updatedBy, String error) {
	}

	public record KeyRow(String kid, String algorithm, String created, String activates, String state) {
	}

	/** The audit page's filters as typed. */
	public record AuditFilter(String user, String type, String from, String to, String ip, String organization) {
	}

	/** An audit event as the audit page lists it; null fields are not known. */
	public record EventRow(String time, String type, String sentence, String userId, String actorId,
			String organizationId, String ip, String detail) {
	}
}
