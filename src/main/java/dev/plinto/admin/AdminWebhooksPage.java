package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.pages.PageContext;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.webhook.WebhookService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's webhooks ({@code /admin/webhooks}): the endpoints with their state, enabling and disabling one,
 * and an endpoint's delivery log (the newest 50 attempts). Through {@link WebhookService}, as
 * {@code plinto webhooks} does, which audits each change ({@code webhook.endpoint_enabled},
 * {@code webhook.endpoint_disabled}), here with the administrator as the actor. Endpoints are added and their
 * secrets rotated on the command line, where a secret is shown once.
 */
@Controller
@Hidden
final class AdminWebhooksPage {

	private static final int ATTEMPTS_SHOWN = 50;

	private final WebhookService webhooks;

	private final AdminPageFrame frame;

	AdminWebhooksPage(WebhookService webhooks, AdminPageFrame frame) {
		this.webhooks = webhooks;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.WEBHOOKS)
	ModelAndView list(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhooks", HttpStatus.OK, "endpoints",
				webhooks.list());
	}

	@GetMapping(AdminPageRoutes.WEBHOOKS + "/{id}")
	ModelAndView endpoint(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		try {
			WebhookService.WebhookEndpoint endpoint = webhooks.get(id);
			return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhook", HttpStatus.OK, "endpoint", endpoint,
					"attempts", webhooks.attempts(id, ATTEMPTS_SHOWN));
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhook-not-found", HttpStatus.NOT_FOUND);
		}
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/enable", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object enable(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return change(id, caller, request, response, true);
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/disable",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object disable(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return change(id, caller, request, response, false);
	}

	private Object change(String id, Caller caller, HttpServletRequest request, HttpServletResponse response,
			boolean enable) {
		try {
			AuditLog.actingAs(caller.userId(),
					() -> enable ? webhooks.enable(id, caller.client()) : webhooks.disable(id, caller.client()));
		}
		catch (ApiException e) {
			return frame.view(caller, frame.context(request, response), AdminPageRoutes.WEBHOOKS, "webhook-not-found",
					HttpStatus.NOT_FOUND);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.WEBHOOKS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
			.build();
	}
}
