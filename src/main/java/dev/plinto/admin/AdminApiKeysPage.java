package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.pages.PageContext;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
 * The dashboard's Backend API keys ({@code /admin/api-keys}): every key with the start of its secret, status,
 * scopes, last use, expiry and creation; a form that creates one, and rotate and revoke per key (both need a recent
 * sign-in, {@link AdminPageRoutes#RECENT_SIGN_IN}). All through {@link ApiKeys}, as {@code plinto api-keys} does, with
 * the administrator's user id as the audit events' actor ({@code api_key.created}, {@code api_key.rotated},
 * {@code api_key.revoked}) and as the key's {@code created_by}.
 * <p>
 * A new secret (created or rotated) is shown once, in the answer to the post itself: never in a URL (no redirect
 * carries it; OWASP Secrets Management Cheat Sheet, "Secrets in transit" and "Logging"), never logged, and answered
 * with {@code Cache-Control: no-store} so no browser or proxy cache keeps it (RFC 9111 §5.2.2.5; OWASP Session
 * Management Cheat Sheet, "Web Content Caching").
 */
@Controller
@Hidden
final class AdminApiKeysPage {

	/** The notices the list shows after an action ({@code ?done=}); anything else shows none. */
	static final List<String> NOTICES = List.of("revoked");

	/** The longest expiry the form takes, in days (ten years). */
	static final int MAX_EXPIRY_DAYS = 3650;

	private final ApiKeys keys;

	private final AdminPageFrame frame;

	private final Clock clock;

	AdminApiKeysPage(ApiKeys keys, AdminPageFrame frame, Clock clock) {
		this.keys = keys;
		this.frame = frame;
		this.clock = clock;
	}

	@GetMapping(AdminPageRoutes.API_KEYS)
	ModelAndView list(@RequestParam(defaultValue = "") String done, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return page(caller, ctx, HttpStatus.OK, NOTICES.contains(done) ? ctx.t("admin.api_keys.done." + done) : null,
				null, AdminPageViews.ApiKeyForm.EMPTY);
	}

	/** Creates a key from the form: {@code name}, {@code scopes} (repeated), {@code expires_in_days} (optional). */
	@PostMapping(path = AdminPageRoutes.API_KEYS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView create(@RequestParam(defaultValue = "") String name,
			@RequestParam(name = "scopes", required = false) List<String> scopes,
			@RequestParam(name = "expires_in_days", defaultValue = "") String expiresInDays, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		List<String> chosen = scopes == null ? List.of() : scopes;
		AdminPageViews.ApiKeyForm typed = new AdminPageViews.ApiKeyForm(name, chosen, expiresInDays);
		String days = expiresInDays.strip();
		if (!days.isEmpty() && !(days.matches("[0-9]{1,4}") && Integer.parseInt(days) >= 1
				&& Integer.parseInt(days) <= MAX_EXPIRY_DAYS)) {
			return page(caller, ctx, HttpStatus.BAD_REQUEST, null,
					ctx.t("admin.api_keys.invalid_expiry", String.valueOf(MAX_EXPIRY_DAYS)), typed);
		}
		Duration expiresIn = days.isEmpty() ? null : Duration.ofDays(Integer.parseInt(days));
		ApiKeys.WithSecret created;
		try {
			created = AuditLog.actingAs(caller.userId(),
					() -> keys.create(name, chosen, expiresIn, caller.userId(), caller.client()));
		}
		catch (ApiException e) {
			String field = e.fieldErrors().isEmpty() ? "" : e.fieldErrors().get(0).field();
			String message = field.equals("scopes") ? ctx.t("admin.api_keys.invalid_scopes")
					: ctx.t("admin.api_keys.invalid_name", String.valueOf(ApiKeys.MAX_NAME));
			return page(caller, ctx, e.code().status(), null, message, typed);
		}
		return secret(caller, ctx, created, "created", response);
	}

	/** A new secret for the key, shown once; the old one stops at once. Needs a recent sign-in. */
	@PostMapping(path = AdminPageRoutes.API_KEYS + "/{id}/rotate",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView rotate(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		try {
			ApiKeys.WithSecret rotated = AuditLog.actingAs(caller.userId(), () -> keys.rotate(id, caller.client()));
			return secret(caller, ctx, rotated, "rotated", response);
		}
		catch (ApiException e) {
			return page(caller, ctx, e.code().status(), null, ctx.t("admin.api_keys.unknown"),
					AdminPageViews.ApiKeyForm.EMPTY);
		}
	}

	/** Revokes the key and answers {@code 303} back to the list. Needs a recent sign-in. */
	@PostMapping(path = AdminPageRoutes.API_KEYS + "/{id}/revoke",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object revoke(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			AuditLog.actingAs(caller.userId(), () -> keys.revoke(id, caller.client()));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return page(caller, ctx, e.code().status(), null, ctx.t("admin.api_keys.unknown"),
					AdminPageViews.ApiKeyForm.EMPTY);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.API_KEYS + "?done=revoked#key-"
					+ URLEncoder.encode(id, StandardCharsets.UTF_8))
			.build();
	}

	/** The page that shows a new secret, once, and is stored by no cache. */
	private ModelAndView secret(Caller caller, PageContext ctx, ApiKeys.WithSecret shown, String what,
			HttpServletResponse response) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		return frame.view(caller, ctx, AdminPageRoutes.API_KEYS, "api-key-secret", HttpStatus.OK, "key",
				row(shown.key(), clock.instant()), "secret", shown.secret(), "what", what);
	}

	private ModelAndView page(Caller caller, PageContext ctx, HttpStatusCode status, String notice, String alert,
			AdminPageViews.ApiKeyForm form) {
		Instant now = clock.instant();
		List<AdminPageViews.ApiKeyRow> rows = keys.list().stream().map(k -> row(k, now)).toList();
		List<String> scopes = Arrays.stream(ApiKeyScope.values()).map(ApiKeyScope::wireName).toList();
		return frame.view(caller, ctx, AdminPageRoutes.API_KEYS, "api-keys", status, "keys", rows, "scopes", scopes,
				"form", form, "notice", notice, "alert", alert);
	}

	private static AdminPageViews.ApiKeyRow row(ApiKey k, Instant now) {
		return new AdminPageViews.ApiKeyRow(k.id(), k.name(), k.prefix(), k.status(now), k.scopes(),
				AdminPageFrame.minute(k.lastUsedAt()), AdminPageFrame.minute(k.expiresAt()),
				AdminPageFrame.minute(k.createdAt()));
	}
}
