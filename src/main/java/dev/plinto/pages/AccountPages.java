package dev.plinto.pages;

import dev.plinto.account.AccountService;
import dev.plinto.account.User;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.mfa.MfaService;
import dev.plinto.mfa.PasskeyService;
import dev.plinto.session.Session;
import dev.plinto.session.SessionService;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The account page of a signed-in browser: the profile (name), a password change, two-step verification
 * ({@link AccountMfaPages}), the live sessions with "sign out" per session and "everywhere else", and the newest
 * security events (those of {@code GET /v1/me/security-events}). Signed-in only: the pages' filter chain sends
 * anyone else to sign-in and back. Changes go through the same services as {@code /v1/me}, so they are audited
 * the same.
 */
@Controller
@Hidden
final class AccountPages {

	/** How many security events the page lists; the API ({@code GET /v1/me/security-events}) pages through all. */
	static final int EVENTS_SHOWN = 20;

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final AccountService accounts;

	private final SessionService sessions;

	private final MfaService mfa;

	private final AuditLog audit;

	private final LiveSettings settings;

	private final PageContexts contexts;

	private final PasskeyService passkeys;

	private final OrganizationSection organizations;

	private final ObjectProvider<ConnectedApps> connectedApps;

	private final ObjectProvider<LinkedAccounts> linkedAccounts;

	AccountPages(AccountService accounts, SessionService sessions, MfaService mfa, AuditLog audit,
			LiveSettings settings, PageContexts contexts, PasskeyService passkeys,
			OrganizationSection organizations, ObjectProvider<ConnectedApps> connectedApps,
			ObjectProvider<LinkedAccounts> linkedAccounts) {
		this.connectedApps = connectedApps;
		this.linkedAccounts = linkedAccounts;
		this.accounts = accounts;
		this.sessions = sessions;
		this.mfa = mfa;
		this.audit = audit;
		this.settings = settings;
		this.contexts = contexts;
		this.passkeys = passkeys;
		this.organizations = organizations;
	}

	@GetMapping(PageRoutes.ACCOUNT)
	ModelAndView account(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return page(caller, contexts.of(request, response), HttpStatus.OK, FormState.empty(), null);
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/name", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView rename(@RequestParam(defaultValue = "") String name, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (name.length() > 200) {
			return page(caller, ctx, HttpStatus.BAD_REQUEST,
					FormState.of(ctx.messages(), "name", name).field("name", "error.name_too_long").build(), null);
		}
		accounts.updateName(caller.userId(), name, caller.client(), caller.sessionId());
		return page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("account.name_saved"));
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/password", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView changePassword(@RequestParam(name = "current_password", defaultValue = "") String current,
			@RequestParam(name = "new_password", defaultValue = "") String next, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			accounts.changePassword(caller.userId(), caller.sessionId(), current, next, caller.client());
		}
		catch (ApiException e) {
			FormState refused = FormState.of(ctx.messages(), "current_password", "", "new_password", "")
				.refusal(e, "new_password")
				.build();
			return page(caller, ctx, e.code().status(), refused, null);
		}
		return page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("account.password_changed"));
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/sessions/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView revoke(@RequestParam(name = "session_id", defaultValue = "") String sessionId, Caller caller) {
		if (sessionId.equals("others")) {
			sessions.revokeOthers(caller.userId(), caller.sessionId(), caller.client());
		}
		else if (!sessionId.equals(caller.sessionId())) {
			try {
				sessions.revoke(caller.userId(), sessionId, caller.sessionId(), caller.client());
			}
			catch (ApiException e) {
				// already ended or not this user's: the list shown next tells the truth either way
			}
		}
		return SignInPages.seeOther(URI.create(PageRoutes.ACCOUNT));
	}

	/** The account page with a form's problems or a notice, for every section's controller. */
	ModelAndView page(Caller caller, PageContext ctx, org.springframework.http.HttpStatusCode status,
			FormState form, String notice) {
		return page(caller, ctx, status, form, notice, organizations.of(caller, ctx));
	}

	/** The account page with its organizations section as given (OrganizationPages' answer to a refused form). */
	ModelAndView page(Caller caller, PageContext ctx, org.springframework.http.HttpStatusCode status,
			AccountOrganizations organizationSection) {
		return page(caller, ctx, status, FormState.empty(), null, organizationSection);
	}

	private ModelAndView page(Caller caller, PageContext ctx, org.springframework.http.HttpStatusCode status,
			FormState form, String notice, AccountOrganizations organizationSection) {
		User user = accounts.get(caller.userId());
		List<AccountView.SessionRow> rows = sessions.live(caller.userId())
			.stream()
			.sorted(Comparator.comparing((Session s) -> !s.id().equals(caller.sessionId()))
				.thenComparing(Session::lastActiveAt, Comparator.reverseOrder()))
			.map(s -> new AccountView.SessionRow(s.id(), s.userAgent(), s.ip(), MINUTE.format(s.lastActiveAt()),
					s.id().equals(caller.sessionId())))
			.toList();
		MfaService.Status factors = mfa.summary(caller.userId());
		AccountView.Mfa second = new AccountView.Mfa(factors.totpEnabled(), factors.passkeys(),
				factors.recoveryCodesRemaining(),
				settings.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED);
		List<AccountView.EventRow> events = audit.forUser(caller.userId(), null, null, EVENTS_SHOWN)
			.stream()
			.map(e -> new AccountView.EventRow(eventSentence(ctx, e), MINUTE.format(e.occurredAt()),
					e.ip() == null ? "" : e.ip(), e.userAgent() == null ? "" : e.userAgent()))
			.toList();
		AccountView view = new AccountView(user.name() == null ? "" : user.name(), user.email(),
				user.emailVerified(), rows, second, events);
		return SignInPages.view(ctx, "account", status, "account", view, "form", form, "notice", notice,
				"passkeys", PasskeysView.of(passkeys.findByUser(caller.userId())), "organizations",
				organizationSection, "apps", apps(caller, ctx), "identities",
				linkedAccounts.getIfAvailable() == null ? null
						: new LinkedAccountsView(linkedAccounts.getObject().linked(caller.userId()),
								linkedAccounts.getObject().linkable(caller.userId())));
	}

	/**
	 * The apps the user granted access to through the OpenID provider, or null without a provider. Their logos'
	 * origins join the page's {@code img-src} (the pages otherwise show only their own images), as on the consent
	 * page, where the user saw the same logo.
	 */
	private AccountApps apps(Caller caller, PageContext ctx) {
		ConnectedApps source = connectedApps.getIfAvailable();
		if (source == null) {
			return null;
		}
		List<AccountApps.App> apps = source.granted(caller.userId())
			.stream()
			.map(g -> new AccountApps.App(g.clientId(), g.name(), g.logoUri(), g.scopes()
				.stream()
				.map(s -> ctx.messages().has("oidc.consent.scope." + s) ? ctx.t("oidc.consent.scope." + s)
						: ctx.t("oidc.consent.scope.other", s))
				.toList(), MINUTE.format(g.grantedAt())))
			.toList();
		HttpServletResponse response = org.springframework.web.context.request.RequestContextHolder
			.getRequestAttributes() instanceof org.springframework.web.context.request.ServletRequestAttributes r
					? r.getResponse() : null;
		String policy = response == null ? null : response.getHeader("Content-Security-Policy");
		if (policy != null) {
			String origins = apps.stream()
				.map(AccountApps.App::logoUri)
				.filter(java.util.Objects::nonNull)
				.map(URI::create)
				.filter(u -> "https".equals(u.getScheme()) && u.getHost() != null)
				.map(u -> "https://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()))
				.distinct()
				.collect(java.util.stream.Collectors.joining(" "));
			if (!origins.isEmpty()) {
				response.setHeader("Content-Security-Policy", policy.replace("img-src ", "img-src " + origins + " "));
			}
		}
		return new AccountApps(apps);
	}

	/** The event as a sentence of the page's language ({@code event.<type>}; every type has one). */
	static String eventSentence(PageContext ctx, AuditEvent e) {
		return ctx.t("event." + e.type().wireName());
	}
}
