package dev.plinto.admin;

import dev.plinto.pages.PageContext;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's system page ({@code GET /admin/system}): dependencies' health, the scaling triggers with their
 * current values, and the capacity plan with the hosted services' price beside it ({@link DashboardSystem}).
 */
@Controller
@Hidden
final class AdminSystemPage {

	private final DashboardSystem system;

	private final AdminPageFrame frame;

	AdminSystemPage(DashboardSystem system, AdminPageFrame frame) {
		this.system = system;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.SYSTEM)
	ModelAndView system(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return frame.view(caller, ctx, AdminPageRoutes.SYSTEM, "system", HttpStatus.OK, "report", system.report());
	}
}
