package dev.plinto.oidc;

import dev.plinto.account.UserRepository;
import dev.plinto.pages.FormState;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageContexts;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
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
 * The "enter the code" page of the device authorization grant (RFC 8628 §3.3), its {@code verification_uri}: the
 * signed-in user types the code the device shows (or finds it filled in from {@code verification_uri_complete},
 * and confirms it: RFC 8628 §3.3.1 asks that the user still compare it with the device's), and the form posts it
 * with the pages' CSRF token to the library's device verification endpoint. That endpoint sends the browser back
 * here with the outcome ({@link DeviceGrant#verificationErrors}, {@link DeviceGrant#verified}): a wrong or expired
 * code, too many codes tried, the device connected, or the access denied on the consent screen. A page of the
 * hosted pages' chain (layout, languages, CSP, CSRF); only a signed-in browser reaches it.
 */
@Controller
@Hidden
final class DevicePage {

	private final RegisteredClientRepository clients;

	private final UserRepository users;

	private final PageContexts contexts;

	private final String action;

	DevicePage(RegisteredClientRepository clients, UserRepository users, PageContexts contexts,
			AuthorizationServerSettings serverSettings) {
		this.clients = clients;
		this.users = users;
		this.contexts = contexts;
		this.action = serverSettings.getDeviceVerificationEndpoint();
	}

	@GetMapping(DeviceGrant.PAGE)
	ModelAndView device(@RequestParam(name = "user_code", defaultValue = "") String userCode,
			@RequestParam(defaultValue = "") String error, @RequestParam(defaultValue = "") String result,
			@RequestParam(name = "client_id", defaultValue = "") String clientId, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if ("approved".equals(result)) {
			RegisteredClient client = clientId.isEmpty() ? null : clients.findByClientId(clientId);
			String name = client == null ? ctx.t("oidc.device.a_device") : client.getClientName();
			return message(ctx, ctx.t("oidc.device.approved_title"), ctx.t("oidc.device.approved", name));
		}
		if ("denied".equals(result)) {
			return message(ctx, ctx.t("oidc.device.denied_title"), ctx.t("oidc.device.denied"));
		}
		String code = userCode.length() > 20 ? userCode.substring(0, 20) : userCode;
		String problem = switch (error) {
			case "invalid_code" -> ctx.t("oidc.device.invalid_code");
			case DeviceGrant.RATE_LIMITED -> ctx.t("oidc.device.rate_limited");
			default -> null;
		};
		FormState form = new FormState(Map.of("user_code", code),
				problem == null ? List.of() : List.of(new FormState.Problem("user_code", problem)), null);
		String email = users.findById(caller.userId()).map(u -> u.email()).orElse("");
		Map<String, Object> model = new HashMap<>();
		model.put("ctx", ctx);
		model.put("device", new DeviceView(form, email, action));
		return new ModelAndView("device", model, problem == null ? HttpStatus.OK : HttpStatus.BAD_REQUEST);
	}

	private static ModelAndView message(PageContext ctx, String title, String message) {
		Map<String, Object> model = new HashMap<>();
		model.put("ctx", ctx);
		model.put("title", title);
		model.put("message", message);
		return new ModelAndView("message", model, HttpStatus.OK);
	}
}
