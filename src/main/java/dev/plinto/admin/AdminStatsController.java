package dev.plinto.admin;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's numbers ({@code GET /v1/admin/stats}, {@code GET /v1/admin/capacity}): the dashboard overview's
 * statistics ({@link DashboardStats}) and the system page's capacity plan ({@link DashboardSystem#capacity()}),
 * the same figures the pages show. Aggregates only, no personal data. Scope {@code stats:read}, declared in
 * {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: statistics")
@SecurityRequirement(name = "apiKey")
final class AdminStatsController {

	private final DashboardStats stats;

	private final DashboardSystem system;

	AdminStatsController(DashboardStats stats, DashboardSystem system) {
		this.stats = stats;
		this.system = system;
	}

	@GetMapping(path = "/v1/admin/stats", produces = "application/json")
	@Operation(summary = "Active users, sign-ups and sign-ins per day, MFA adoption, live sessions",
			description = "Scope `stats:read`. `active`: distinct users with a session active in the last day, 7 "
					+ "and 30 days (DAU, WAU, MAU). `days`: the last `days` UTC days, oldest first, today included, "
					+ "each with sign-ups, successful sign-ins by method, failed sign-ins by reason (locked accounts "
					+ "as `locked`) and new accounts, from the audit log. `mfa`: accounts with an authenticator app or "
					+ "a passkey. `live_sessions`: sessions neither revoked nor expired.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	DashboardStats.Overview stats(AdminCaller caller,
			@RequestParam(required = false) @Parameter(description = "How many UTC days the daily series covers",
					schema = @Schema(type = "integer", format = "int32", minimum = "1",
							maximum = "" + DashboardStats.MAX_DAYS, defaultValue = "" + DashboardStats.DAYS)) String days) {
		return stats.overview(days(days));
	}

	@GetMapping(path = "/v1/admin/capacity", produces = "application/json")
	@Operation(summary = "The capacity plan for the measured active users",
			description = "Scope `stats:read`. `measured`: the daily, weekly and monthly active users now; `plan`: "
					+ "the capacity planner's answer (docs/capacity.md) for the measured daily active users (at least "
					+ "1) with its default activity model and throughput, and the hosted services' monthly list price "
					+ "for the measured monthly active users, from the dated price file. The dashboard's system page "
					+ "shows the same plan.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited" })
	DashboardSystem.Capacity capacity(AdminCaller caller) {
		return system.capacity();
	}

	private static int days(String raw) {
		if (raw == null) {
			return DashboardStats.DAYS;
		}
		try {
			int days = Integer.parseInt(raw.strip());
			if (days >= 1 && days <= DashboardStats.MAX_DAYS) {
				return days;
			}
		}
		catch (NumberFormatException e) {
			// answered below
		}
		throw ApiException.validation("days", ErrorCode.VALIDATION_FAILED,
				"days must be a whole number from 1 to " + DashboardStats.MAX_DAYS + ".");
	}
}
