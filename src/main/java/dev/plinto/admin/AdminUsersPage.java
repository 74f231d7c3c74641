package dev.plinto.admin;

import dev.plinto.account.AccountAdministration;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.UserMetadata;
import dev.plinto.admin.AdminPageViews.MetadataForm;
import dev.plinto.admin.AdminPageViews.UserForm;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageRoutes;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * The dashboard's users ({@code /admin/users}): search by a part of the email or name and create a user (with a
 * password, or without one: the address then gets a mail with a link to choose it), and a user's page with their
 * state, sessions, linked identities, organizations and newest security events, and the actions ban, unban, lock,
 * unlock, change the name, change the email and whether it counts as verified, edit the public, private and unsafe
 * metadata, end one session or sign out everywhere, reset second factors, impersonate and delete. Changing the email,
 * impersonating and deleting need a recent sign-in ({@link AdminPageRoutes#RECENT_SIGN_IN}, declared in the security
 * configuration). Every action is a call of {@link AdminUsers}, the service of the Backend API's user endpoints, with
 * the administrator's user id as the audit events' actor, so the rules (password policy, address taken, 8 KiB of
 * metadata) are the Backend API's; each answers {@code 303} back to the user's page (post/redirect/get), whose
 * notice names what was done. A refused form is shown again as typed, with the sentence above it and beside its
 * field.
 */
@Controller
@Hidden
final class AdminUsersPage {

	/** The notices a user's page shows after an action ({@code ?done=}); anything else shows none. */
	static final List<String> NOTICES = List.of("created", "created_mail", "banned", "unbanned", "locked",
			"unlocked", "signed_out", "session_revoked", "mfa_reset", "name_saved", "email_saved", "metadata_saved");

	private static final int EVENTS_SHOWN = 20;

	/** Users per page of the list. */
	private static final int PAGE = 25;

	/** The bound of a name, as the Backend API's. */
	private static final int NAME_MAX = 200;

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
			@RequestParam(defaultValue = "") String deleted, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return list(caller, ctx, q, cursor, HttpStatus.OK,
				deleted.equals("1") ? ctx.t("admin.users.done.deleted") : null, UserForm.EMPTY);
	}

	/**
	 * Creates a user as {@code POST /v1/admin/users} does: with the password typed (held to the password policy), or,
	 * when it is left empty, without one, and the address gets a mail with a link to choose it. Goes to the new
	 * user's page; a refusal shows the list with the form as typed (never the password).
	 */
	@PostMapping(path = AdminPageRoutes.USERS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object create(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String password,
			@RequestParam(name = "email_verified", defaultValue = "false") boolean emailVerified, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		UserForm typed = new UserForm(email.strip(), name.strip(), emailVerified, null, null);
		String invalid = EmailAddress.canonical(email).isEmpty() ? "email"
				: typed.name().length() > NAME_MAX ? "name" : null;
		if (invalid != null) {
			PageContext ctx = frame.context(request, response);
			return list(caller, ctx, "", null, HttpStatus.BAD_REQUEST, null,
					refused(typed, invalid, ctx.t(invalid.equals("email") ? "error.email_invalid" : "error.name_too_long")));
		}
		AdminUsers.AdminUser created;
		try {
			created = users.create(actor(caller), new AccountAdministration.NewAccount(typed.email(),
					typed.name().isEmpty() ? null : typed.name(), password.isEmpty() ? null : password, null,
					emailVerified, null, null, null));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return list(caller, ctx, "", null, e.code().status(), null, refused(typed, field(e), sentence(ctx, e)));
		}
		return back(created.id(), password.isEmpty() ? "created_mail" : "created");
	}

	@GetMapping(AdminPageRoutes.USERS + "/{id}")
	ModelAndView user(@PathVariable String id, @RequestParam(defaultValue = "") String done, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return detail(caller, ctx, id, HttpStatus.OK, NOTICES.contains(done) ? ctx.t("admin.users.done." + done) : null,
				null, null, null);
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

	/**
	 * Ends one live session of the user, as {@code DELETE /v1/admin/sessions/{id}} does: its refresh token and access
	 * tokens stop at once. A session that is not one of this user's live sessions is refused and nothing changes.
	 */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/sessions/{sessionId}/revoke",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object revokeSession(@PathVariable String id, @PathVariable String sessionId, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		try {
			if (users.sessions(id).stream().noneMatch(s -> s.id().equals(sessionId))) {
				PageContext ctx = frame.context(request, response);
				return detail(caller, ctx, id, HttpStatus.NOT_FOUND, null, ctx.t("admin.users.session_not_found"), null,
						null);
			}
			users.revokeSession(actor(caller), sessionId);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null,
					e.code() == ErrorCode.NOT_FOUND ? ctx.t("admin.users.session_not_found") : sentence(ctx, e), null,
					null);
		}
		return back(id, "session_revoked");
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/mfa/reset", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object resetMfa(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return act(caller, id, "mfa_reset", request, response, () -> users.resetMfa(actor(caller), id));
	}

	/** Changes the name, as {@code PATCH /v1/admin/users/{id}} with {@code name}; an empty one clears it. */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/name", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object name(@PathVariable String id, @RequestParam(defaultValue = "") String name, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		String typed = name.strip();
		if (typed.length() > NAME_MAX) {
			PageContext ctx = frame.context(request, response);
			return profileRefused(caller, ctx, id, HttpStatus.BAD_REQUEST, "name", typed, null, false,
					ctx.t("error.name_too_long"));
		}
		try {
			users.update(actor(caller), id, new AccountAdministration.Changes(null, typed, null, null, null, null));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return profileRefused(caller, ctx, id, e.code().status(), "name", typed, null, false, sentence(ctx, e));
		}
		return back(id, "name_saved");
	}

	/**
	 * Changes the email address and whether it counts as verified, as {@code PATCH /v1/admin/users/{id}} with
	 * {@code email} and {@code email_verified}. Needs a recent sign-in: whoever holds a new address can reset the
	 * account's password with it.
	 */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/email", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object email(@PathVariable String id, @RequestParam(defaultValue = "") String email,
			@RequestParam(name = "email_verified", defaultValue = "false") boolean emailVerified, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		String typed = email.strip();
		if (EmailAddress.canonical(typed).isEmpty()) {
			PageContext ctx = frame.context(request, response);
			return profileRefused(caller, ctx, id, HttpStatus.BAD_REQUEST, "email", null, typed, emailVerified,
					ctx.t("error.email_invalid"));
		}
		try {
			users.update(actor(caller), id, new AccountAdministration.Changes(typed, null, emailVerified, null, null,
					null));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return profileRefused(caller, ctx, id, e.code().status(), "email", null, typed, emailVerified,
					sentence(ctx, e));
		}
		return back(id, "email_saved");
	}

	/**
	 * Replaces the metadata objects sent ({@code public_metadata}, {@code private_metadata}, {@code unsafe_metadata},
	 * each one JSON object of at most 8 KiB; an empty field is the empty object, an absent one stays as stored), as
	 * {@code PATCH /v1/admin/users/{id}} does. A field whose object equals the one the page showed
	 * ({@code <field>_original}) was not changed here and is not written, so that a change the user made to their
	 * {@code unsafe_metadata} meanwhile is kept. A field that is not one JSON object, or too large, shows the page
	 * again with every field as typed and the sentence beside that field; nothing is saved.
	 */
	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/metadata", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object metadata(@PathVariable String id,
			@RequestParam(name = "public_metadata", required = false) String publicText,
			@RequestParam(name = "private_metadata", required = false) String privateText,
			@RequestParam(name = "unsafe_metadata", required = false) String unsafeText,
			@RequestParam Map<String, String> form, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		Map<String, String> texts = new LinkedHashMap<>();
		texts.put("public_metadata", publicText);
		texts.put("private_metadata", privateText);
		texts.put("unsafe_metadata", unsafeText);
		Map<String, String> originals = new HashMap<>();
		MetadataForm.FIELDS.stream()
			.filter(f -> form.get(f + "_original") != null)
			.forEach(f -> originals.put(f, form.get(f + "_original")));
		Map<String, String> stored = new HashMap<>();
		for (Map.Entry<String, String> field : texts.entrySet()) {
			if (field.getValue() == null) {
				continue;
			}
			Map<String, Object> value = object(field.getValue());
			if (value == null) {
				PageContext ctx = frame.context(request, response);
				return metadataRefused(caller, ctx, id, HttpStatus.BAD_REQUEST, texts, originals, field.getKey(),
						ctx.t("admin.users.metadata_invalid." + field.getKey()));
			}
			String original = originals.get(field.getKey());
			if (original != null && value.equals(object(original))) {
				continue;
			}
			try {
				stored.put(field.getKey(), UserMetadata.store(field.getKey(), value));
			}
			catch (ApiException e) {
				PageContext ctx = frame.context(request, response);
				return metadataRefused(caller, ctx, id, e.code().status(), texts, originals, field.getKey(), ctx.t(
						"admin.users.metadata_too_large." + field.getKey(), String.valueOf(UserMetadata.MAX_BYTES)));
			}
		}
		if (stored.isEmpty()) {
			return back(id, "metadata_saved");
		}
		try {
			users.update(actor(caller), id, new AccountAdministration.Changes(null, null, null,
					stored.get("public_metadata"), stored.get("private_metadata"), stored.get("unsafe_metadata")));
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, sentence(ctx, e), null, null);
		}
		return back(id, "metadata_saved");
	}

	@PostMapping(path = AdminPageRoutes.USERS + "/{id}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object delete(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		if (id.equals(caller.userId())) {
			return detail(caller, ctx, id, HttpStatus.CONFLICT, null, ctx.t("admin.users.delete_self"), null, null);
		}
		try {
			users.delete(actor(caller), id);
		}
		catch (ApiException e) {
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null, null);
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
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null, null);
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
			return detail(caller, ctx, id, e.code().status(), null, e.getMessage(), null, null);
		}
		browser.store(tokens, response);
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, PageRoutes.ACCOUNT).build();
	}

	/** The administrator as the actor of the changes: their user id, their session, and where they act from. */
	private static AdminCaller actor(Caller caller) {
		return AdminCaller.administrator(caller.userId(), caller.sessionId(), caller.client());
	}

	/** The field a service's refusal is about, or null for the whole form. */
	private static String field(ApiException e) {
		return e.fieldErrors().isEmpty() ? null : e.fieldErrors().get(0).field();
	}

	/**
	 * A service's refusal in the page's language: the dashboard's sentence for its code ({@code admin.users.error.…},
	 * which speaks of the user, not to them), else the hosted pages' ({@code error.…}), else the service's own.
	 */
	private static String sentence(PageContext ctx, ApiException e) {
		String code = e.code().code();
		if (ctx.messages().has("admin.users.error." + code)) {
			return ctx.t("admin.users.error." + code);
		}
		return ctx.messages().has("error." + code) ? ctx.t("error." + code) : e.getMessage();
	}

	private static UserForm refused(UserForm typed, String field, String sentence) {
		return new UserForm(typed.email(), typed.name(), typed.emailVerified(), field, sentence);
	}

	/** The JSON object of a form field (blank: the empty object), or null when it is not one. */
	private static Map<String, Object> object(String text) {
		try {
			return JSON.readValue(text.isBlank() ? "{}" : text, OBJECT);
		}
		catch (JacksonException | IllegalArgumentException e) {
			return null;
		}
	}

	private static ResponseEntity<Void> back(String id, String done) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.USERS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
					+ "?done=" + done)
			.build();
	}

	private ModelAndView list(Caller caller, PageContext ctx, String q, String cursor, HttpStatusCode status,
			String notice, UserForm form) {
		String query = q.strip();
		UserQuery filter = new UserQuery(query.isEmpty() ? null : query, null, null, null, null, null, null, null,
				null, null);
		Page<AdminUsers.AdminUser> found;
		try {
			found = users.search(filter, cursor, PAGE);
		}
		catch (ApiException e) {
			found = users.search(filter, null, PAGE);
		}
		String next = found.nextCursor() == null ? null
				: AdminPageRoutes.USERS + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&cursor="
						+ URLEncoder.encode(found.nextCursor(), StandardCharsets.UTF_8);
		return frame.view(caller, ctx, AdminPageRoutes.USERS, "users", status, "query", query, "users", found.data(),
				"next", next, "notice", notice, "alert", form.error(), "form", form);
	}

	/** The user's page after a refused name or email form: that form as typed, the other as stored. */
	private ModelAndView profileRefused(Caller caller, PageContext ctx, String id, HttpStatusCode status, String field,
			String name, String email, boolean emailVerified, String sentence) {
		AdminUsers.AdminUser user;
		try {
			user = users.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.USERS, "not-found", HttpStatus.NOT_FOUND);
		}
		UserForm form = new UserForm(email != null ? email : user.email(),
				name != null ? name : (user.name() == null ? "" : user.name()),
				email != null ? emailVerified : user.emailVerified(), field, sentence);
		return detail(caller, ctx, id, status, null, sentence, form, null);
	}

	/**
	 * The user's page after a refused metadata form: every field as typed (absent ones as stored), each with the text
	 * the page first showed (as posted, else as stored now) as its original.
	 */
	private ModelAndView metadataRefused(Caller caller, PageContext ctx, String id, HttpStatusCode status,
			Map<String, String> texts, Map<String, String> originals, String field, String sentence) {
		AdminUsers.AdminUser user;
		try {
			user = users.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.USERS, "not-found", HttpStatus.NOT_FOUND);
		}
		MetadataForm form = new MetadataForm(
				texts.get("public_metadata") != null ? texts.get("public_metadata") : pretty(user.publicMetadata()),
				texts.get("private_metadata") != null ? texts.get("private_metadata") : pretty(user.privateMetadata()),
				texts.get("unsafe_metadata") != null ? texts.get("unsafe_metadata") : pretty(user.unsafeMetadata()),
				field, sentence, Map.of(
						"public_metadata", originals.getOrDefault("public_metadata", pretty(user.publicMetadata())),
						"private_metadata", originals.getOrDefault("private_metadata", pretty(user.privateMetadata())),
						"unsafe_metadata", originals.getOrDefault("unsafe_metadata", pretty(user.unsafeMetadata()))));
		return detail(caller, ctx, id, status, null, sentence, null, form);
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, HttpStatusCode status, String notice,
			String alert, UserForm profile, MetadataForm metadata) {
		AdminUsers.AdminUser user;
		try {
			user = users.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.USERS, "not-found", HttpStatus.NOT_FOUND);
		}
		MetadataForm shown = metadata != null ? metadata
				: new MetadataForm(pretty(user.publicMetadata()), pretty(user.privateMetadata()),
						pretty(user.unsafeMetadata()), null, null, Map.of());
		return frame.view(caller, ctx, AdminPageRoutes.USERS, "user", status, "user", user, "sessions",
				users.sessions(id), "identities", users.identities(id), "organizations", users.organizations(id),
				"events", users.securityEvents(id, null, EVENTS_SHOWN).data(), "notice", notice, "alert", alert,
				"profile", profile != null ? profile : UserForm.of(user), "metadata", shown);
	}

	private static String pretty(Map<String, Object> metadata) {
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metadata);
	}
}
