package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageContexts;
import dev.plinto.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;
import dev.plinto.admin.AdminPageViews.Frame;
import dev.plinto.admin.AdminPageViews.Section;

/**
 * What every dashboard page shares: the pages' context (language, CSRF token, nonce, assets), the navigation with
 * the current section, and the signed-in administrator's role, so a {@code support} user sees no form it may not
 * post. Access itself is decided before any controller runs ({@link DashboardAccess}).
 */
@Component
public final class AdminPageFrame {

	static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	/** The navigation's sections, in order: path and message key. */
	static final List<Section> SECTIONS = List.of(new Section(AdminPageRoutes.OVERVIEW, "admin.nav.overview"),
			new Section(AdminPageRoutes.USERS, "admin.nav.users"),
			new Section(AdminPageRoutes.ORGANIZATIONS, "admin.nav.organizations"),
			new Section(AdminPageRoutes.API_KEYS, "admin.nav.api_keys"),
			new Section(AdminPageRoutes.CLIENTS, "admin.nav.clients"), new Section(AdminPageRoutes.KEYS, "admin.nav.keys"),
			new Section(AdminPageRoutes.WEBHOOKS, "admin.nav.webhooks"), new Section(AdminPageRoutes.AUDIT, "admin.nav.audit"),
			new Section(AdminPageRoutes.SETTINGS, "admin.nav.settings"), new Section(AdminPageRoutes.SYSTEM, "admin.nav.system"));

	private final PageContexts contexts;

	private final DashboardRoles roles;

	AdminPageFrame(PageContexts contexts, DashboardRoles roles) {
		this.contexts = contexts;
		this.roles = roles;
	}

	PageContext context(HttpServletRequest request, HttpServletResponse response) {
		return contexts.of(request, response);
	}

	/** The page {@code admin/<template>} with its frame and model (name, value pairs). */
	ModelAndView view(Caller caller, PageContext ctx, String section, String template, HttpStatusCode status,
			Object... model) {
		DashboardRole role = roles.roleOf(caller.userId()).orElse(DashboardRole.SUPPORT);
		Map<String, Object> map = new HashMap<>();
		map.put("ctx", ctx);
		map.put("frame", new Frame(SECTIONS, section, role.mayChange(), role.wireName()));
		for (int i = 0; i + 1 < model.length; i += 2) {
			map.put((String) model[i], model[i + 1]);
		}
		return new ModelAndView("admin/" + template, map, status);
	}

	/** A time as the dashboard shows it, to the minute in UTC; empty for null. */
	public static String minute(Instant at) {
		return at == null ? "" : MINUTE.format(at);
	}
}
