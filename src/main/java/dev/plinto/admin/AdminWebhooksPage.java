package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.pages.PageContext;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.Page;
import dev.plinto.webhook.WebhookEventType;
import dev.plinto.webhook.WebhookService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's webhooks ({@code /admin/webhooks}): the endpoints with their state and a form to add one, and an
 * endpoint's page with its delivery log (50 attempts a page), changing its URL, description and event types,
 * enabling and disabling it, rotating its secret, replaying one event or every failed delivery since a time, and
 * deleting it. Every action is a call of {@link WebhookService}, the service of {@code plinto webhooks} and of the
 * Backend API's {@code /v1/admin/webhooks}, inside {@link AuditLog#actingAs} with the administrator's user id, so
 * its {@code webhook.*} audit event names them. A new or rotated secret is shown once, on the answer to the post
 * itself (never in a URL), with {@code Cache-Control: no-store} (OWASP Secrets Management Cheat Sheet). Rotating and
 * deleting need a recent sign-in ({@link AdminPageRoutes#RECENT_SIGN_IN}); {@code support} sees no form and its
 * posts are refused ({@link DashboardAccess}).
 */
@Controller
@Hidden
final class AdminWebhooksPage {

	private static final int ATTEMPTS_SHOWN = 50;

	/** The notices an endpoint's page shows after an action ({@code ?done=}); anything else shows none. */
	static final List<String> NOTICES = List.of("updated", "enabled", "disabled", "replayed",
			"replayed_failed");

	/** The value of a {@code datetime-local} field, read as UTC. */
	private static final DateTimeFormatter LOCAL_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

	/** Every event type's wire name, for the event filter's checkboxes. */
	static final List<String> EVENT_TYPES = Arrays.stream(WebhookEventType.values())
		.map(WebhookEventType::wireName)
		.toList();

	private final WebhookService webhooks;

	private final AdminPageFrame frame;

	private final Clock clock;

	AdminWebhooksPage(WebhookService webhooks, AdminPageFrame frame, Clock clock) {
		this.webhooks = webhooks;
		this.frame = frame;
		this.clock = clock;
	}

	@GetMapping(AdminPageRoutes.WEBHOOKS)
	ModelAndView list(@RequestParam(defaultValue = "") String deleted, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return listPage(caller, ctx, HttpStatus.OK, deleted.isEmpty() ? null : ctx.t("admin.webhooks.done.deleted"),
				null, "", "", List.of(), true);
	}

	/** Adds an endpoint and shows its secret, this once; a refused URL or type shows the form again. */
	@PostMapping(path = AdminPageRoutes.WEBHOOKS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object create(@RequestParam(defaultValue = "") String url, @RequestParam(defaultValue = "") String description,
			@RequestParam(name = "event_types", required = false) List<String> eventTypes,
			@RequestParam(defaultValue = "") String enabled, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		List<String> types = eventTypes == null ? List.of() : eventTypes;
		boolean enable = "true".equals(enabled);
		PageContext ctx = frame.context(request, response);
		WebhookService.WithSecret created;
		try {
			created = acting(caller, () -> webhooks.create(url, description, types, enable, caller.client()));
		}
		catch (ApiException e) {
			return listPage(caller, ctx, e.code().status(), null, e.getMessage(), url, description, types, enable);
		}
		return secretPage(caller, ctx, response, HttpStatus.CREATED, created, false);
	}

	@GetMapping(AdminPageRoutes.WEBHOOKS + "/{id}")
	ModelAndView endpoint(@PathVariable String id, @RequestParam(defaultValue = "") String done,
			@RequestParam(defaultValue = "0") String count, @RequestParam(required = false) String cursor,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		String notice = NOTICES.contains(done) ? ctx.t("admin.webhooks.done." + done,
				count.matches("[0-9]{1,9}") ? Integer.parseInt(count) : 0) : null;
		return detail(caller, ctx, id, cursor, HttpStatus.OK, notice, null, null);
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/update",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object update(@PathVariable String id, @RequestParam(defaultValue = "") String url,
			@RequestParam(defaultValue = "") String description,
			@RequestParam(name = "event_types", required = false) List<String> eventTypes, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		List<String> types = eventTypes == null ? List.of() : eventTypes;
		return act(caller, id, request, response, new Typed(url, description, types), "updated",
				() -> webhooks.update(id, url, description, types, caller.client()));
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/enable", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object enable(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return act(caller, id, request, response, null, "enabled", () -> webhooks.enable(id, caller.client()));
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/disable",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object disable(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return act(caller, id, request, response, null, "disabled", () -> webhooks.disable(id, caller.client()));
	}

	/** Rotates the secret with an overlap of {@code overlap_hours} (0 to 720; empty: the configured one). */
	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/rotate-secret",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object rotateSecret(@PathVariable String id, @RequestParam(name = "overlap_hours", defaultValue = "") String hours,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		String typed = hours.strip();
		if (!typed.isEmpty() && !(typed.matches("[0-9]{1,3}") && Integer.parseInt(typed) <= 720)) {
			return detail(caller, ctx, id, null, HttpStatus.BAD_REQUEST, null, ctx.t("admin.webhooks.overlap_invalid"),
					null);
		}
		Duration overlap = typed.isEmpty() ? null : Duration.ofHours(Integer.parseInt(typed));
		WebhookService.WithSecret rotated;
		try {
			rotated = acting(caller, () -> webhooks.rotateSecret(id, overlap, caller.client()));
		}
		catch (ApiException e) {
			return detail(caller, ctx, id, null, e.code().status(), null, e.getMessage(), null);
		}
		return secretPage(caller, ctx, response, HttpStatus.OK, rotated, true);
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/replay", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object replay(@PathVariable String id, @RequestParam(name = "event_id", defaultValue = "") String eventId,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return act(caller, id, request, response, null, "replayed", () -> {
			webhooks.replay(id, eventId, caller.client());
			return null;
		});
	}

	/** Replays the failed deliveries of events since the typed time ({@code datetime-local}, read as UTC). */
	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/replay-failed",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object replayFailed(@PathVariable String id, @RequestParam(defaultValue = "") String since, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		Instant from;
		try {
			from = LocalDateTime.parse(since.strip(), LOCAL_MINUTE).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, null, HttpStatus.BAD_REQUEST, null, ctx.t("admin.webhooks.since_invalid"),
					null);
		}
		return act(caller, id, request, response, null, "replayed_failed",
				() -> webhooks.replayFailed(id, from, caller.client()));
	}

	@PostMapping(path = AdminPageRoutes.WEBHOOKS + "/{id}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object delete(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			acting(caller, () -> {
				webhooks.delete(id, caller.client());
				return null;
			});
		}
		catch (ApiException e) {
			return detail(caller, frame.context(request, response), id, null, e.code().status(), null,
					e.getMessage(), null);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.WEBHOOKS + "?deleted=1")
			.build();
	}

	/** What the administrator typed in the edit form, shown again when it is refused. */
	record Typed(String url, String description, List<String> eventTypes) {
	}

	/**
	 * Runs an action and answers 303 to the endpoint's page with its notice (post/redirect/get), and the count when
	 * the action answers one; a refusal shows the page with the service's sentence and what was typed.
	 */
	private Object act(Caller caller, String id, HttpServletRequest request, HttpServletResponse response,
			Typed typed, String done, Supplier<?> action) {
		Object result;
		try {
			result = acting(caller, action);
		}
		catch (ApiException e) {
			return detail(caller, frame.context(request, response), id, null, e.code().status(), null,
					e.getMessage(), typed);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.WEBHOOKS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
					+ "?done=" + done + (result instanceof Integer n ? "&count=" + n : ""))
			.build();
	}

	private static <T> T acting(Caller caller, Supplier<T> action) {
		return AuditLog.actingAs(caller.userId(), action);
	}

	private ModelAndView listPage(Caller caller, PageContext ctx, HttpStatusCode status, String notice, String alert,
			String url, String description, List<String> types, boolean enabled) {
		return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhooks", status, "endpoints", webhooks.list(),
				"eventTypes", EVENT_TYPES, "notice", notice, "alert", alert, "form",
				new AdminPageViews.WebhookForm(url, description, types, enabled));
	}

	private ModelAndView secretPage(Caller caller, PageContext ctx, HttpServletResponse response, HttpStatus status,
			WebhookService.WithSecret withSecret, boolean rotated) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhook-secret", status, "endpoint",
				withSecret.endpoint(), "secret", withSecret.secret(), "rotated", rotated);
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, String cursor, HttpStatusCode status,
			String notice, String alert, Typed typed) {
		WebhookService.WebhookEndpoint endpoint;
		Page<WebhookService.DeliveryAttempt> attempts;
		try {
			endpoint = webhooks.get(id);
			try {
				attempts = webhooks.deliveries(id, cursor, ATTEMPTS_SHOWN);
			}
			catch (ApiException e) {
				attempts = webhooks.deliveries(id, null, ATTEMPTS_SHOWN);
			}
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhook-not-found", HttpStatus.NOT_FOUND);
		}
		AdminPageViews.WebhookForm form = typed == null
				? new AdminPageViews.WebhookForm(endpoint.url(),
						endpoint.description() == null ? "" : endpoint.description(), endpoint.eventTypes(),
						endpoint.enabled())
				: new AdminPageViews.WebhookForm(typed.url(), typed.description(), typed.eventTypes(),
						endpoint.enabled());
		String older = attempts.nextCursor() == null ? null
				: AdminPageRoutes.WEBHOOKS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?cursor="
						+ URLEncoder.encode(attempts.nextCursor(), StandardCharsets.UTF_8);
		String since = LOCAL_MINUTE.format(LocalDateTime.ofInstant(clock.instant().minus(Duration.ofDays(1))
			.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC));
		return frame.view(caller, ctx, AdminPageRoutes.WEBHOOKS, "webhook", status, "endpoint", endpoint, "attempts",
				attempts.data(), "older", older, "eventTypes", EVENT_TYPES, "form", form, "since", since, "notice",
				notice, "alert", alert);
	}
}
