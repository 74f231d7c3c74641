package dev.plinto.pages;

import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * "Revoke access" on the account page's connected apps: the user withdraws an app's access ({@link ConnectedApps}),
 * which also ends the app's tokens for this user. A form post of a signed-in browser with the pages' CSRF token and
 * Origin check; no recent sign-in is asked, since taking access away only lowers what the account exposes.
 */
@Controller
@Hidden
final class AccountAppPages {

	private final ObjectProvider<ConnectedApps> connectedApps;

	private final AccountPages account;

	private final PageContexts contexts;

	AccountAppPages(ObjectProvider<ConnectedApps> connectedApps, AccountPages account, PageContexts contexts) {
		this.connectedApps = connectedApps;
		this.account = account;
		this.contexts = contexts;
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/apps/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView revoke(@RequestParam(name = "client_id", defaultValue = "") String clientId, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		ConnectedApps apps = connectedApps.getIfAvailable();
		String name = apps == null ? null : apps.granted(caller.userId())
			.stream()
			.filter(g -> g.clientId().equals(clientId))
			.map(ConnectedApps.Grant::name)
			.findFirst()
			.orElse(null);
		if (name == null || !apps.revoke(caller.userId(), clientId, caller.client())) {
			// Not granted (any more): the list shown tells the truth either way.
			return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("account.apps.not_found"));
		}
		return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("account.apps.revoked", name));
	}
}
