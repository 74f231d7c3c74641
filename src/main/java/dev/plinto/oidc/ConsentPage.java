package dev.plinto.oidc;

import dev.plinto.account.UserRepository;
import dev.plinto.pages.ErrorPages;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageContexts;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The consent page (OpenID Connect Core §3.1.2.4): Spring Authorization Server sends a signed-in browser here when a
 * client that is not first-party asks for scopes the user has not granted it yet. It names the client and what each
 * scope lets it see, on the hosted pages' layout and in the user's language, and posts the decision back to the
 * authorization endpoint with the pages' CSRF token: "Allow" with the scopes, "Deny" without any, which the library
 * answers with {@code access_denied} to the client (RFC 6749 §4.1.2.1). The consent of a device (RFC 8628 §3.3)
 * is the same page, posted to the device verification endpoint with the device's user code. A page of the hosted pages' chain (cookies,
 * CSP, CSRF); only a signed-in browser reaches it.
 */
@Controller
@Hidden
final class ConsentPage {

	private final RegisteredClientRepository clients;

	private final UserRepository users;

	private final PageContexts contexts;

	private final ErrorPages errors;

	private final String action;

	private final String deviceAction;

	ConsentPage(RegisteredClientRepository clients, UserRepository users, PageContexts contexts, ErrorPages errors,
			AuthorizationServerSettings serverSettings) {
		this.clients = clients;
		this.users = users;
		this.contexts = contexts;
		this.errors = errors;
		this.action = serverSettings.getAuthorizationEndpoint();
		this.deviceAction = serverSettings.getDeviceVerificationEndpoint();
	}

	@GetMapping(OidcEndpoints.CONSENT)
	ModelAndView consent(@RequestParam(name = "client_id", defaultValue = "") String clientId,
			@RequestParam(defaultValue = "") String scope, @RequestParam(defaultValue = "") String state,
			@RequestParam(name = "user_code", defaultValue = "") String userCode, Caller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
		RegisteredClient client = clientId.isEmpty() ? null : clients.findByClientId(clientId);
		if (client == null || state.isEmpty()) {
			errors.render(request, response, HttpStatus.BAD_REQUEST, client == null ? "oidc.error.client"
					: "oidc.error.request");
			return null;
		}
		PageContext ctx = contexts.of(request, response);
		List<String> scopes = List.copyOf(new LinkedHashSet<>(Arrays.stream(scope.split(" "))
			.filter(s -> !s.isBlank())
			.toList()));
		List<String> texts = scopes.stream()
			.map(s -> ctx.messages().has("oidc.consent.scope." + s) ? ctx.t("oidc.consent.scope." + s)
					: ctx.t("oidc.consent.scope.other", s))
			.toList();
		String email = users.findById(caller.userId()).map(u -> u.email()).orElse("");
		String logo = OidcClients.logoUri(client);
		allowForClient(response, logo == null ? null : URI.create(logo), client.getRedirectUris());
		// A device's consent (RFC 8628 §3.3) posts back to the device verification endpoint with its user code.
		boolean device = !userCode.isEmpty();
		ConsentView view = new ConsentView(client.getClientId(), client.getClientName(), logo, email, state, scopes,
				texts, device ? deviceAction : action, device ? userCode : null);
		return new ModelAndView("consent", Map.of("ctx", ctx, "consent", view), HttpStatus.OK);
	}

	/**
	 * The page's Content-Security-Policy for this client: its registered logo's origin in {@code img-src} (the pages
	 * allow only their own images), and its redirect URIs' origins in {@code form-action}, because browsers apply
	 * {@code form-action} to the redirect that answers the consent form (CSP Level 3 §6.4.1).
	 */
	private static void allowForClient(HttpServletResponse response, URI logo, java.util.Set<String> redirectUris) {
		String policy = response.getHeader("Content-Security-Policy");
		if (policy == null) {
			return;
		}
		if (logo != null && "https".equals(logo.getScheme()) && logo.getHost() != null) {
			policy = policy.replace("img-src ", "img-src " + origin(logo) + " ");
		}
		String targets = redirectUris.stream()
			.map(URI::create)
			.filter(uri -> uri.getHost() != null)
			.map(ConsentPage::origin)
			.distinct()
			.collect(java.util.stream.Collectors.joining(" "));
		if (!targets.isEmpty()) {
			policy = policy.replace("form-action ", "form-action " + targets + " ");
		}
		response.setHeader("Content-Security-Policy", policy);
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
	}
}
