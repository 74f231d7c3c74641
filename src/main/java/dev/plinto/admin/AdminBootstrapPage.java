package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The page the bootstrap link opens ({@link DashboardBootstrap}): a signed-in browser sees the account it is
 * signed in with and a button that makes it the first administrator; opening the page changes nothing. A dead link
 * (used, expired, or an administrator exists) says so. A signed-out browser is sent to sign in and back first.
 */
@Controller
@Hidden
final class AdminBootstrapPage {

	private final DashboardBootstrap bootstrap;

	private final AdminPageFrame frame;

	AdminBootstrapPage(DashboardBootstrap bootstrap, AdminPageFrame frame) {
		this.bootstrap = bootstrap;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.BOOTSTRAP)
	ModelAndView open(@RequestParam(defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		boolean usable = bootstrap.usable(token);
		return page(ctx, usable ? HttpStatus.OK : HttpStatus.GONE, usable ? token : null);
	}

	@PostMapping(path = AdminPageRoutes.BOOTSTRAP, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object confirm(@RequestParam(defaultValue = "") String token, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		if (bootstrap.redeem(token, caller.userId(), caller.client())) {
			return org.springframework.http.ResponseEntity.status(HttpStatus.SEE_OTHER)
				.header(org.springframework.http.HttpHeaders.LOCATION, AdminPageRoutes.OVERVIEW)
				.build();
		}
		return page(frame.context(request, response), HttpStatus.GONE, null);
	}

	private static ModelAndView page(PageContext ctx, HttpStatus status, String token) {
		Map<String, Object> model = new HashMap<>();
		model.put("ctx", ctx);
		model.put("token", token);
		return new ModelAndView("admin/bootstrap", model, status);
	}
}
