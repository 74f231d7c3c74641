package dev.plinto.admin;

import dev.plinto.audit.AuditEvent;
import dev.plinto.pages.PageContext;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's audit log ({@code GET /admin/audit}): every recorded event, newest first, filtered by user (id or
 * email, as subject or actor), type, UTC date range, IP address and organization ({@link DashboardAuditSearch}), 50
 * per page. A plain GET form, so a filtered view is a link that can be shared between administrators.
 */
@Controller
@Hidden
final class AdminAuditPage {

	private final DashboardAuditSearch search;

	private final AdminPageFrame frame;

	AdminAuditPage(DashboardAuditSearch search, AdminPageFrame frame) {
		this.search = search;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.AUDIT)
	ModelAndView audit(@RequestParam(defaultValue = "") String user, @RequestParam(defaultValue = "") String type,
			@RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to,
			@RequestParam(defaultValue = "") String ip, @RequestParam(defaultValue = "") String organization,
			@RequestParam(required = false) String after, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		DashboardAuditSearch.Result result = search.search(new DashboardAuditSearch.Filter(user, type,
				startOf(date(from)), startOf(date(to) == null ? null : date(to).plusDays(1)), ip, organization), after);
		List<AdminPageViews.EventRow> rows = result.events()
			.stream()
			.map(e -> new AdminPageViews.EventRow(AdminPageFrame.minute(e.occurredAt()), e.type().wireName(),
					ctx.messages().has("event." + e.type().wireName()) ? ctx.t("event." + e.type().wireName())
							: e.type().wireName(),
					e.userId(), e.actorId(), e.organizationId(), e.ip(), e.detail()))
			.toList();
		String next = result.next() == null ? null : AdminPageRoutes.AUDIT + "?" + query("user", user) + query("type", type)
				+ query("from", from) + query("to", to) + query("ip", ip) + query("organization", organization)
				+ "after=" + URLEncoder.encode(result.next(), StandardCharsets.UTF_8);
		List<String> types = Arrays.stream(AuditEvent.Type.values()).map(AuditEvent.Type::wireName).sorted().toList();
		return frame.view(caller, ctx, AdminPageRoutes.AUDIT, "audit", HttpStatus.OK, "filter",
				new AdminPageViews.AuditFilter(user, type, from, to, ip, organization), "types", types, "events", rows,
				"next", next);
	}

	private static String query(String name, String value) {
		return value.isBlank() ? "" : name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&";
	}

	/** The start of a UTC day: the audit page's dates are UTC days, both included. */
	private static Instant startOf(LocalDate day) {
		return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	private static LocalDate date(String text) {
		try {
			return text.isBlank() ? null : LocalDate.parse(text.strip());
		}
		catch (DateTimeParseException e) {
			return null;
		}
	}
}
