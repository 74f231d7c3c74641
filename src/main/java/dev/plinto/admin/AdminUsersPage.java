package dev.plinto.admin;

import dev.plinto.account.AccountAdministration;
import dev.plinto.account.UserMetadata;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageRoutes;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's users ({@code /admin/users}): search by a part of the email or name, and a user's page with
 * their state, sessions, linked identities, organizations and newest security events, and the actions ban, unban,
 * lock, unlock, sign out everywhere, reset second factors, edit private metadata and delete (which needs a recent
 * sign-in, declared in the security configuration). Every action is a call of {@link AdminUsers}, the service of
 * the Backend API's user endpoints, with the administrator's user id as the audit events' actor; each answers
 * {@code 303} back to the user's page (post/redirect/get), whose notice names what was done.
 */
@Controller
@Hidden
final class AdminUsersPage {

	/** The notices a user's page shows after an action ({@code ?done=}); anything else shows none. */
	static final List<String> NOTICES = List.of("banned", "unbanned", "locked", "unlocked", "signed_out",
			"mfa_reset", "metadata_saved");

	private static final int EVENTS_SHOWN = 20;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final AdminUsers users;

	private final AdminPageFrame frame;

	private final BrowserSessions browser;

	AdminUsersPage(AdminUsers users, AdminPageFrame frame, BrowserSessions browser) {
		this.users = users;
		this.frame = frame;
		this.browser = browser;
	}

	@GetMapping(AdminPageRoutes.USERS)
	ModelAndView search(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String cursor,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		String query = q.strip();
		Page<AdminUsers.AdminUser> found;
		try {
			found = users.search(new UserQuery(query.isEmpty() ? null : query, null, null, null, null, null, null,
					null, null, null), cursor, 25);
		}
		catch (ApiException e) {
			found = users.search(new UserQuery(query.isEmpty() ? null : query, null, null, null, null, null, null,
					null, null, null), null, 25);
		}
		String next = found.nextCursor() == null ? null
				: AdminPageRoutes.USERS + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&cursor="
						+ URLEncoder.encode(found.nextCursor(), StandardCharsets.UTF_8);
		return frame.view(caller, ctx, AdminPageRoutes.USERS, "users", HttpStatus.OK, "query", query, "users",
				found.data(), "next", next);
	}

	@GetMapping(AdminPageRoutes.USERS + "/{id}")
	ModelAndView user(@PathVariable String id, @RequestParam(defaultValue = "") String done, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return detail(caller, ctx, id, HttpStatus.OK, NOTICES.contains(done) ? ctx.t("admin.users.done." + done) : null,
				null, null);
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/ban", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object ban(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "banned", request, response, () -> users.ban(actor(caller), id));
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/unban", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object unban(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "unbanned", request, response, () -> users.unban(actor(caller), id));
	}

	/** Locks sign-in for {@code hours} (1 to 8760), or until unlocked when empty. */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/lock", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object lock(@PathVariable String id, @RequestParam(defaultValue = "") String hours, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		Duration duration = null;
		if (hours.matches("[0-9]{1,4}") && Integer.parseInt(hours) >= 1) {
			duration = Duration.ofHours(Math.min(8760, Integer.parseInt(hours)));
		}
		Duration until = duration;
		return act(caller, id, "locked", request, response, () -> users.lock(actor(caller), id, until));
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/unlock", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object unlock(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "unlocked", request, response, () -> users.unlock(actor(caller), id));
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/sessions/revoke",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object signOut(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "signed_out", request, response, () -> users.revokeSessions(actor(caller), id));
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/mfa/reset", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object resetMfa(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "mfa_reset", request, response, () -> users.resetMfa(actor(caller), id));
	}

	/** Replaces the private metadata with the JSON object typed in the form. */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/metadata", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object metadata(@PathVariable String id, @RequestParam(name = "private_metadata", defaultValue = "") String text,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		Map<String, Object> value;
		try {
			value = JSON.readValue(text.isBlank() ? "{}" : text, OBJECT);
			if (value == null) {
				throw new IllegalArgumentException("null");
			}
		}
		catch (JacksonException | IllegalArgumentException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, HttpStatus.BAD_REQUEST, null, ctx.t("admin.users.metadata_invalid"), text);
		}
		try {
			users.update(actor(caller), id, new AccountAdministration.Changes(null, null, null, null,
					UserMetadata.store("private_metadata", value), null));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null,
					ctx.t("admin.users.metadata_too_large", UserMetadata.MAX_BYTES), text);
		}
		return back(id, "metadata_saved");
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object delete(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		if (id.equals(caller.userId())) {
			return detail(caller, ctx, id, HttpStatus.CONFLICT, null, ctx.t("admin.users.delete_self"), null);
		}
		try {
			users.delete(actor(caller), id);
		}
		catch (ApiException e) {
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.USERS + "?deleted=1")
			.build();
	}

	/** Runs an action and answers 303 to the user's page; a refusal (an unknown user) shows the page's answer. */
	private Object act(Caller caller, String id, String done, HttpServletRequest request, HttpServletResponse response,
			Runnable action) {
		try {
			action.run();
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null);
		}
		return back(id, done);
	}

	/**
	 * Signs this browser in as the user ({@link AdminUsers#impersonate}: a session of at most an hour whose tokens
	 * carry {@code act.sub} with the administrator's id, audited on the user as {@code user.impersonated}) and goes to
	 * the account page as them. The administrator's own browser session is left, not ended; the impersonation
	 * session has no second factor, so it never opens the dashboard. Needs a recent sign-in.
	 */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/impersonate",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object impersonate(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		dev.plinto.session.TokenResponse tokens;
		try {
			tokens = users.impersonate(actor(caller), id);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null);
		}
		browser.store(tokens, response);
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, PageRoutes.ACCOUNT).build();
	}

	/** The administrator as the actor of the changes: their user id, their session, and where they act from. */
	private static AdminCaller actor(Caller caller) {
		return AdminCaller.administrator(caller.userId(), caller.sessionId(), caller.client());
	}

	private static ResponseEntity<Void> back(String id, String done) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.USERS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
					+ "?done=" + done)
			.build();
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, HttpStatusCode status, String notice,
			String alert, String typedMetadata) {
		AdminUsers.AdminUser user;
		try {
			user = users.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.USERS, "not-found", HttpStatus.NOT_FOUND);
		}
		String metadata = typedMetadata != null ? typedMetadata
				: JSON.writerWithDefaultPrettyPrinter().writeValueAsString(user.privateMetadata());
		return frame.view(caller, ctx, AdminPageRoutes.USERS, "user", status, "user", user, "sessions",
				users.sessions(id), "identities", users.identities(id), "organizations", users.organizations(id),
				"events", users.securityEvents(id, null, EVENTS_SHOWN).data(), "notice", notice, "alert", alert,
				"metadata", metadata);
	}
}
