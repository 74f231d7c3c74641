package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's settings at run time ({@code /admin/settings}): every variable {@link AdminSettings} lists, grouped
 * as sign-in methods, MFA, password, branding and rate limits, with the value in effect, the environment's value and
 * where the value comes from. Saving posts every field; only fields whose value differs from the one in effect, and
 * the overrides ticked for a reset, are changed, through {@link AdminSettings} as the Backend API does, audited with
 * the administrator as actor. The post needs a recent sign-in and the admin or owner role (declared in the security
 * configuration); a refused value is shown next to its field with the configuration's sentence.
 */
@Controller
@Hidden
final class AdminSettingsPage {

	/** The form's field that lists the variables to reset to the environment's value. */
	static final String RESET = "reset";

	private final AdminSettings settings;

	private final AdminPageFrame frame;

	AdminSettingsPage(AdminSettings settings, AdminPageFrame frame) {
		this.settings = settings;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.SETTINGS)
	ModelAndView show(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return page(caller, ctx, HttpStatus.OK, settings.list(), Map.of(), Map.of(), null);
	}

	@PostMapping(path = AdminPageRoutes.SETTINGS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView save(@RequestParam MultiValueMap<String, String> form, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		AdminSettings.Settings before = settings.list();
		List<String> resets = form.getOrDefault(RESET, List.of());
		Map<String, String> changes = new LinkedHashMap<>();
		Map<String, String> typed = new HashMap<>();
		for (AdminSettings.Setting s : before.settings()) {
			String value = form.getFirst(s.name());
			if (resets.contains(s.name()) && "database".equals(s.source())) {
				changes.put(s.name(), null);
			}
			else if (value != null) {
				typed.put(s.name(), value);
				if (!Objects.equals(value.trim(), s.value() == null ? "" : s.value())) {
					changes.put(s.name(), value.trim());
				}
			}
		}
		if (changes.isEmpty()) {
			return page(caller, ctx, HttpStatus.OK, before, Map.of(), Map.of(), ctx.t("admin.settings.unchanged"));
		}
		try {
			AdminSettings.Settings after = settings.change(changes, caller.userId(), caller.client());
			return page(caller, ctx, HttpStatus.OK, after, Map.of(), Map.of(),
					ctx.t("admin.settings.saved", String.join(", ", changes.keySet())));
		}
		catch (ApiException e) {
			Map<String, String> errors = new HashMap<>();
			e.fieldErrors().forEach(f -> errors.merge(f.field(), f.message(), (a, b) -> a + " " + b));
			return page(caller, ctx, HttpStatus.BAD_REQUEST, before, typed, errors, null);
		}
	}

	private ModelAndView page(Caller caller, PageContext ctx, HttpStatusCode status, AdminSettings.Settings current,
			Map<String, String> typed, Map<String, String> errors, String notice) {
		Map<String, List<AdminPageViews.SettingRow>> groups = new LinkedHashMap<>();
		for (AdminSettings.Setting s : current.settings()) {
			groups.computeIfAbsent(s.group(), g -> new java.util.ArrayList<>())
				.add(new AdminPageViews.SettingRow(s.name(), typed.getOrDefault(s.name(), s.value()),
						s.environmentValue(), s.source(), AdminPageFrame.minute(s.updatedAt()), s.updatedBy(),
						errors.get(s.name())));
		}
		String alert = errors.isEmpty() ? null : ctx.t("admin.settings.refused");
		return frame.view(caller, ctx, AdminPageRoutes.SETTINGS, "settings", status, "groups", groups, "notice",
				notice, "alert", alert);
	}
}
