package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's overview ({@code GET /admin}): active users, MFA adoption and live sessions as numbers, and the
 * last 30 days of sign-ins (successful and failed), sign-ups and new accounts as server-drawn SVG charts, each with
 * its numbers in a table beside it ({@link DashboardStats}, {@link DashboardChart}).
 */
@Controller
@Hidden
final class AdminOverviewPage {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");

	private final DashboardStats stats;

	private final AdminPageFrame frame;

	AdminOverviewPage(DashboardStats stats, AdminPageFrame frame) {
		this.stats = stats;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.OVERVIEW)
	ModelAndView overview(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		DashboardStats.Overview numbers = stats.overview();
		return frame.view(caller, ctx, AdminPageRoutes.OVERVIEW, "overview", HttpStatus.OK, "overview",
				overview(ctx, numbers));
	}

	static AdminPageViews.Overview overview(PageContext ctx, DashboardStats.Overview n) {
		DashboardStats.ActiveUsers a = n.active();
		DashboardChart active = DashboardChart.of("chart-active", ctx.t("admin.overview.active_users"),
				ctx.t("admin.overview.active_users_desc", a.daily(), a.weekly(), a.monthly()),
				List.of(ctx.t("admin.overview.users")),
				List.of(column(ctx.t("admin.overview.dau"), a.daily()), column(ctx.t("admin.overview.wau"), a.weekly()),
						column(ctx.t("admin.overview.mau"), a.monthly())));
		List<DashboardChart.Column> signIns = new ArrayList<>();
		List<DashboardChart.Column> newUsers = new ArrayList<>();
		long ok = 0;
		long failed = 0;
		long created = 0;
		Map<String, Long> methods = new TreeMap<>();
		Map<String, Long> reasons = new TreeMap<>();
		Map<String, Long> signUpMethods = new TreeMap<>();
		for (int i = 0; i < n.days().size(); i++) {
			DashboardStats.Day d = n.days().get(i);
			String label = i % 7 == 2 || i == n.days().size() - 1 ? DAY.format(d.date()) : "";
			String date = d.date().toString();
			signIns.add(new DashboardChart.Column(label, new long[] { d.signIns(), d.failures() },
					new String[] { ctx.t("admin.overview.bar_sign_ins", date, d.signIns()),
							ctx.t("admin.overview.bar_failures", date, d.failures()) }));
			newUsers.add(new DashboardChart.Column(label, new long[] { d.newUsers() },
					new String[] { ctx.t("admin.overview.bar_new_users", date, d.newUsers()) }));
			ok += d.signIns();
			failed += d.failures();
			created += d.newUsers();
			d.signInsByMethod().forEach((k, v) -> methods.merge(k, v, Long::sum));
			d.failuresByReason().forEach((k, v) -> reasons.merge(k, v, Long::sum));
			d.signUpsByMethod().forEach((k, v) -> signUpMethods.merge(k, v, Long::sum));
		}
		DashboardChart signInChart = DashboardChart.of("chart-sign-ins", ctx.t("admin.overview.sign_ins"),
				ctx.t("admin.overview.sign_ins_desc", DashboardStats.DAYS, ok, failed),
				List.of(ctx.t("admin.overview.succeeded"), ctx.t("admin.overview.failed")), signIns);
		DashboardChart newUserChart = DashboardChart.of("chart-new-users", ctx.t("admin.overview.new_users"),
				ctx.t("admin.overview.new_users_desc", DashboardStats.DAYS, created),
				List.of(ctx.t("admin.overview.new_users")), newUsers);
		return new AdminPageViews.Overview(n, active, signInChart, newUserChart, methods, reasons, signUpMethods);
	}

	private static DashboardChart.Column column(String label, long value) {
		return new DashboardChart.Column(label, new long[] { value }, new String[] { label + ": " + value });
	}
}
