package dev.plinto.admin;

import dev.plinto.admin.AdminPageViews.ClientForm;
import dev.plinto.admin.AdminPageViews.ShownSecret;
import dev.plinto.oidc.OidcClients;
import dev.plinto.pages.PageContext;
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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's OIDC clients ({@code /admin/clients}): the list, a client's page with its settings, and
 * registering, changing, giving a new secret to and deleting a client. Every action is a call of
 * {@link AdminClients}, the service of the Backend API's client endpoints, which calls {@link OidcClients} as
 * {@code plinto clients} does: the same rules, refusals and audit events, here with the administrator's user id as
 * actor. A new secret is shown once, on the answer of the post that made it ({@code Cache-Control: no-store}), and
 * never again; rotating it and deleting a client need a recent sign-in ({@link AdminPageRoutes#RECENT_SIGN_IN}).
 */
@Controller
@Hidden
final class AdminClientsPage {

	/** The notices a client's page shows after an action ({@code ?done=}). */
	static final List<String> NOTICES = List.of("updated");

	private final AdminClients clients;

	private final AdminPageFrame frame;

	AdminClientsPage(AdminClients clients, AdminPageFrame frame) {
		this.clients = clients;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.CLIENTS)
	ModelAndView list(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "") String deleted,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		Page<AdminClients.AdminClient> page;
		try {
			page = clients.list(cursor, Page.MAX_LIMIT);
		}
		catch (ApiException e) {
			page = clients.list(null, Page.MAX_LIMIT);
		}
		String next = page.nextCursor() == null ? null
				: AdminPageRoutes.CLIENTS + "?cursor=" + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8);
		return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "clients", HttpStatus.OK, "clients", page.data(),
				"next", next, "notice", deleted.isEmpty() ? null : ctx.t("admin.clients.done.deleted"));
	}

	@GetMapping(AdminPageRoutes.CLIENTS + "/new")
	ModelAndView newClient(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "client-new", HttpStatus.OK, "form",
				ClientForm.blank(), "alert", null);
	}

	@PostMapping(path = AdminPageRoutes.CLIENTS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object create(@RequestParam MultiValueMap<String, String> fields, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		ClientForm form = form(fields);
		AdminClients.CreatedClient created;
		try {
			OidcClients.Type type = "public".equals(form.type()) ? OidcClients.Type.PUBLIC
					: OidcClients.Type.CONFIDENTIAL;
			created = clients.create(caller.userId(), caller.client(), type, changes(ctx, form, null));
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "client-new", e.code().status(), "form",
					refused(form, e), "alert", refusal(ctx, e));
		}
		if (created.clientSecret() == null) {
			return ResponseEntity.status(HttpStatus.SEE_OTHER)
				.header(HttpHeaders.LOCATION, page(created.client().id()))
				.build();
		}
		return secret(caller, ctx, response, new ShownSecret(created.client().id(), created.client().name(),
				created.clientSecret()), "admin.clients.created_title");
	}

	@GetMapping(AdminPageRoutes.CLIENTS + "/{id}")
	ModelAndView client(@PathVariable String id, @RequestParam(defaultValue = "") String done, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		return detail(caller, ctx, id, HttpStatus.OK, NOTICES.contains(done) ? ctx.t("admin.clients.done." + done)
				: null, null, null);
	}

	@PostMapping(path = AdminPageRoutes.CLIENTS + "/{id}/update", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object update(@PathVariable String id, @RequestParam MultiValueMap<String, String> fields, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		ClientForm form = form(fields);
		PageContext ctx = frame.context(request, response);
		try {
			clients.change(caller.userId(), caller.client(), id, changes(ctx, form, clients.get(id)));
		}
		catch (ApiException e) {
			return detail(caller, ctx, id, e.code().status(), null, refusal(ctx, e), refused(form, e));
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, page(id) + "?done=updated")
			.build();
	}

	@PostMapping(path = AdminPageRoutes.CLIENTS + "/{id}/rotate-secret",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView rotateSecret(@PathVariable String id, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		AdminClients.NewSecret rotated;
		try {
			rotated = clients.rotateSecret(caller.userId(), caller.client(), id);
		}
		catch (ApiException e) {
			return detail(caller, ctx, id, e.code().status(), null, refusal(ctx, e), null);
		}
		return secret(caller, ctx, response, new ShownSecret(id, clients.get(id).name(), rotated.clientSecret()),
				"admin.clients.rotated_title");
	}

	@PostMapping(path = AdminPageRoutes.CLIENTS + "/{id}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object delete(@PathVariable String id, Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			clients.delete(caller.userId(), caller.client(), id);
		}
		catch (ApiException e) {
			PageContext ctx = frame.context(request, response);
			return detail(caller, ctx, id, e.code().status(), null, refusal(ctx, e), null);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.header(HttpHeaders.LOCATION, AdminPageRoutes.CLIENTS + "?deleted=1")
			.build();
	}

	/** The page that shows a new secret, once: never cached (RFC 9111 §5.2.2.5), never shown again. */
	private ModelAndView secret(Caller caller, PageContext ctx, HttpServletResponse response, ShownSecret shown,
			String titleKey) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "client-secret", HttpStatus.OK, "shown", shown,
				"title", ctx.t(titleKey));
	}

	private ModelAndView detail(Caller caller, PageContext ctx, String id, HttpStatus status, String notice,
			String alert, ClientForm typed) {
		AdminClients.AdminClient client;
		try {
			client = clients.get(id);
		}
		catch (ApiException e) {
			return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "client-not-found", HttpStatus.NOT_FOUND);
		}
		return frame.view(caller, ctx, AdminPageRoutes.CLIENTS, "client", status, "client", client, "form",
				typed != null ? typed : ClientForm.of(client), "notice", notice, "alert", alert);
	}

	/** The form as typed, its refused field (if the refusal names one) marked with the sentence. */
	private static ClientForm refused(ClientForm form, ApiException e) {
		return e.fieldErrors().isEmpty() ? form
				: form.refused(e.fieldErrors().get(0).field(), e.fieldErrors().get(0).message());
	}

	/** The sentence of a refusal: the service's, after the page's own words; an unknown client its page. */
	private static String refusal(PageContext ctx, ApiException e) {
		String detail = e.fieldErrors().isEmpty() ? e.getMessage() : e.fieldErrors().get(0).message();
		return ctx.t("admin.clients.refused", detail);
	}

	private static String page(String id) {
		return AdminPageRoutes.CLIENTS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
	}

	private static ClientForm form(MultiValueMap<String, String> fields) {
		List<String> grants = fields.getOrDefault("grants", List.of())
			.stream()
			.filter(ClientForm.GRANTS::contains)
			.toList();
		return new ClientForm(one(fields, "name"), one(fields, "type").toLowerCase(Locale.ROOT),
				one(fields, "redirect_uris"), one(fields, "post_logout_redirect_uris"), grants, one(fields, "scopes"),
				fields.containsKey("consent_required"), fields.containsKey("require_pkce"), one(fields, "logo_uri"),
				one(fields, "access_token_ttl"), one(fields, "refresh_token_ttl"),
				one(fields, "backchannel_logout_uri"),
				ClientForm.AUTH_METHODS.contains(one(fields, "auth_method")) ? one(fields, "auth_method")
						: "client_secret_basic",
				one(fields, "jwks_uri"), one(fields, "jwks"), null, null);
	}

	private static String one(MultiValueMap<String, String> fields, String name) {
		String value = fields.getFirst(name);
		return value == null ? "" : value.strip();
	}

	/**
	 * The form as the service's changes: every field given, as the form shows them all, and the keys of
	 * {@link #keys}.
	 */
	private static OidcClients.Changes changes(PageContext ctx, ClientForm form, AdminClients.AdminClient base) {
		return new OidcClients.Changes(form.name(), lines(form.redirectUris()), lines(form.postLogoutRedirectUris()),
				new LinkedHashSet<>(form.grants()),
				new LinkedHashSet<>(Arrays.stream(form.scopes().split("\\s+")).filter(s -> !s.isEmpty()).toList()),
				!form.consentRequired(), form.requirePkce(), form.logoUri(),
				seconds("access_token_ttl_seconds", form.accessTokenTtl()),
				seconds("refresh_token_ttl_seconds", form.refreshTokenTtl()), keys(ctx, form, base),
				form.backchannelLogoutUri(), null, null);
	}

	/**
	 * The keys of a {@code private_key_jwt} client (RFC 7523 §2.2) as the form gives them, for the service to check
	 * (exactly one of a JWKS URI and a JWKS, public keys only) and register as the Backend API's {@code jwks_uri} and
	 * {@code jwks} are: null keeps what is registered, which is how a client that already has keys keeps them when
	 * both fields are left empty. Keys with a secret chosen, and a secret chosen for a client that has keys, are
	 * refused here, as {@code plinto clients} refuses them: the way back to a secret is a new client.
	 */
	private static OidcClients.ClientKeys keys(PageContext ctx, ClientForm form, AdminClients.AdminClient base) {
		String uri = form.jwksUri().isEmpty() ? null : form.jwksUri();
		String jwks = form.jwks().isEmpty() ? null : form.jwks();
		boolean hasKeys = base != null && "private_key_jwt".equals(base.authMethod());
		if (!form.usesKeys()) {
			if (hasKeys) {
				throw ApiException.validation("auth_method", ErrorCode.VALIDATION_FAILED,
						ctx.t("admin.clients.no_way_back_to_secret"));
			}
			if (uri != null || jwks != null) {
				throw ApiException.validation(uri != null ? "jwks_uri" : "jwks", ErrorCode.VALIDATION_FAILED,
						ctx.t("admin.clients.keys_need_private_key_jwt"));
			}
			return null;
		}
		return uri == null && jwks == null && hasKeys ? null : new OidcClients.ClientKeys(uri, jwks);
	}

	private static List<String> lines(String text) {
		return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
	}

	private static Duration seconds(String field, String text) {
		if (text.isEmpty()) {
			return null;
		}
		if (!text.matches("[0-9]{1,9}")) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED, "A lifetime is a number of seconds.");
		}
		return Duration.ofSeconds(Long.parseLong(text));
	}
}
