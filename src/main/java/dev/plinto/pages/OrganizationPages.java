package dev.plinto.pages;

import dev.plinto.account.AccountService;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.config.PlintoSettings;
import dev.plinto.org.InvitationService;
import dev.plinto.org.OrganizationService;
import dev.plinto.org.Slugs;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The organization pages: the forms of the account page's organizations section (create, make active, leave,
 * accept or decline a pending invitation) and the page an invitation link opens. They call the same services as
 * the JSON API, so the rules, limits, rate limits and audit events are the API's. A change answers 303 back to the
 * account page (a reload does not post it again); a refusal shows the account page again with the sentence.
 * <p>
 * Making an organization active changes the browser session's active organization as
 * {@code POST /v1/me/active-organization} does, and sets a new session JWT cookie at once, so a same-site backend
 * sees the new {@code org_*} claims on its next request; leaving one does the same, since the session may have
 * lost its active organization. The invitation page checks its link without spending it (a mail scanner that
 * prefetches the link spends nothing) and offers what fits the visitor: a new account, one button for the
 * signed-in invitee, or signing out of another account; a signed-out visitor whose address already has an account
 * is sent to sign-in and back. Its token never leaves Plinto's origin ({@code Referrer-Policy: same-origin}, OWASP
 * Forgot Password Cheat Sheet, "URL tokens").
 */
@Controller
@Hidden
final class OrganizationPages {

	/** The codes of a link that can no longer be accepted; each has the sentence {@code invitation.dead.<code>}. */
	private static final Set<ErrorCode> DEAD_LINK = Set.of(ErrorCode.INVALID_INVITATION,
			ErrorCode.INVITATION_REVOKED, ErrorCode.INVITATION_EXPIRED, ErrorCode.INVITATION_USED);

	private static final int MAX_NAME = 200;

	private final OrganizationService organizations;

	private final InvitationService invitations;

	private final AccountService accounts;

	private final OrganizationSection section;

	private final AccountPages accountPages;

	private final BrowserSessions browser;

	private final RedirectPolicy redirects;

	private final PageContexts contexts;

	private final PlintoSettings settings;

	private final PasswordPolicy passwords;

	OrganizationPages(OrganizationService organizations, InvitationService invitations, AccountService accounts,
			OrganizationSection section, AccountPages accountPages, BrowserSessions browser, RedirectPolicy redirects,
			PageContexts contexts, PlintoSettings settings, PasswordPolicy passwords) {
		this.passwords = passwords;
		this.organizations = organizations;
		this.invitations = invitations;
		this.accounts = accounts;
		this.section = section;
		this.accountPages = accountPages;
		this.browser = browser;
		this.redirects = redirects;
		this.contexts = contexts;
		this.settings = settings;
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/organizations", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String slug,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		FormState.Builder form = FormState.of(ctx.messages(), "org-name", name, "org-slug", slug);
		if (name.isBlank()) {
			form.field("org-name", "org.refused.name_missing");
		}
		else if (name.length() > MAX_NAME) {
			form.field("org-name", "error.name_too_long");
		}
		else if (!name.matches(ApiDocs.ONE_LINE)) {
			form.field("org-name", "org.refused.name_invalid");
		}
		FormState state = form.build();
		if (state.hasErrors()) {
			return refused(caller, ctx, HttpStatus.BAD_REQUEST, state);
		}
		try {
			organizations.create(caller, name, slug.isBlank() ? null : slug.strip(), null);
		}
		catch (ApiException e) {
			FormState.Builder refused = FormState.of(ctx.messages(), "org-name", name, "org-slug", slug);
			if (e.code() == ErrorCode.SLUG_TAKEN) {
				refused.field("org-slug", "org.refused.slug_taken");
			}
			else if (e.code() == ErrorCode.VALIDATION_FAILED) {
				refused.field("org-slug", "org.refused.invalid_slug", Slugs.MIN, Slugs.MAX);
			}
			else if (e.code() == ErrorCode.ORGANIZATION_LIMIT_REACHED) {
				refused.alert("org.refused.organization_limit_reached", settings.organizations().maxPerUser());
			}
			else {
				return refused(caller, ctx, e, "org.refused.not_found");
			}
			return refused(caller, ctx, e.code().status(), refused.build());
		}
		return backToAccount();
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/organizations/active",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView activate(@RequestParam(name = "organization_id", defaultValue = "") String organizationId,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			organizations.activate(caller, organizationId.isBlank() ? null : organizationId);
		}
		catch (ApiException e) {
			return refused(caller, contexts.of(request, response), e, "org.refused.not_found");
		}
		browser.renewSessionToken(caller.userId(), caller.sessionId(), response);
		return backToAccount();
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/organizations/leave",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView leave(@RequestParam(name = "organization_id", defaultValue = "") String organizationId,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			organizations.leave(caller, organizationId);
		}
		catch (ApiException e) {
			return refused(caller, contexts.of(request, response), e, "org.refused.not_found");
		}
		browser.renewSessionToken(caller.userId(), caller.sessionId(), response);
		return backToAccount();
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/invitations/accept",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView acceptPending(@RequestParam(name = "invitation_id", defaultValue = "") String invitationId,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			invitations.accept(caller, invitationId);
		}
		catch (ApiException e) {
			return refused(caller, contexts.of(request, response), e, "org.refused.invitation_gone");
		}
		return backToAccount();
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/invitations/decline",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView declinePending(@RequestParam(name = "invitation_id", defaultValue = "") String invitationId,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		try {
			invitations.decline(caller, invitationId);
		}
		catch (ApiException e) {
			return refused(caller, contexts.of(request, response), e, "org.refused.invitation_gone");
		}
		return backToAccount();
	}

	@GetMapping(PageRoutes.ACCEPT_INVITATION)
	ModelAndView invitation(@RequestParam(defaultValue = "") String token, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		InvitationService.Preview preview;
		try {
			preview = invitations.preview(token);
		}
		catch (ApiException e) {
			return deadLink(ctx, e);
		}
		if (!caller.signedIn() && preview.accountExists()) {
			String back = PageRoutes.ACCEPT_INVITATION + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
			return SignInPages.seeOther(URI.create(PageRoutes.SIGN_IN + "?redirect_url="
					+ URLEncoder.encode(back, StandardCharsets.UTF_8)));
		}
		return invitationPage(ctx, HttpStatus.OK, caller, token, preview, FormState.empty());
	}

	@PostMapping(path = PageRoutes.ACCEPT_INVITATION, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView acceptInvitation(@RequestParam(defaultValue = "") String token,
			@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String password,
			Caller caller, ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (caller.signedIn()) {
			OrganizationService.View joined;
			try {
				joined = invitations.acceptAsMember(caller.userId(), caller.sessionId(), token, client);
			}
			catch (ApiException e) {
				return refusedInvitation(ctx, caller, token, e, FormState.empty());
			}
			return joinedPage(ctx, ctx.t("invitation.joined", joined.organization().name()));
		}
		if (name.length() > MAX_NAME || !name.matches(ApiDocs.ONE_LINE)) {
			FormState form = FormState.of(ctx.messages(), "name", name, "password", "")
				.field("name", name.length() > MAX_NAME ? "error.name_too_long" : "org.refused.name_invalid")
				.build();
			return refusedInvitation(ctx, caller, token, null, form);
		}
		InvitationService.Joined joined;
		try {
			joined = invitations.acceptAsNewUser(token, password, name.isBlank() ? null : name, client);
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.EMAIL_TAKEN) {
				return invitation(token, caller, request, response);
			}
			FormState.Builder form = FormState.of(ctx.messages(), "name", name, "password", "");
			if (e.retryAfter() != null || ctx.messages().has("error." + e.code().code())) {
				form.refusal(e, "password"); // a password rule or a rate limit, in the sign-up page's words
			}
			return refusedInvitation(ctx, caller, token, e, form.build());
		}
		String organization = joined.organization().organization().name();
		if (joined.tokens() == null) {
			// PLINTO_MFA=required: the account exists and has joined, but gets a session only after enrolling.
			return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("invitation.joined_title"),
					"message", ctx.t("invitation.joined_enroll", organization), "linkHref", PageRoutes.SIGN_IN,
					"linkText", ctx.t("sign_up.to_sign_in"));
		}
		browser.store(joined.tokens(), response);
		return joinedPage(ctx, ctx.t("invitation.welcome", organization));
	}

	/**
	 * The invitation page again after a refused post: a dead link says why; otherwise the live page with the
	 * sentence ({@code refusal}'s, unless {@code form} already carries it).
	 */
	private ModelAndView refusedInvitation(PageContext ctx, Caller caller, String token, ApiException refusal,
			FormState form) {
		if (refusal != null && DEAD_LINK.contains(refusal.code())) {
			return deadLink(ctx, refusal);
		}
		InvitationService.Preview preview;
		try {
			preview = invitations.preview(token);
		}
		catch (ApiException e) {
			return deadLink(ctx, e);
		}
		FormState shown = form;
		if (refusal != null && !form.hasErrors()) {
			shown = new FormState(form.values(), form.errors(), sentence(ctx, refusal, "org.refused.invitation_gone"));
		}
		return invitationPage(ctx, refusal == null ? HttpStatus.BAD_REQUEST : refusal.code().status(), caller, token,
				preview, shown);
	}

	private ModelAndView invitationPage(PageContext ctx, HttpStatus status, Caller caller, String token,
			InvitationService.Preview preview, FormState form) {
		String signedInAs = caller.signedIn() ? accounts.get(caller.userId()).email() : null;
		InvitationPageView.Visitor visitor = signedInAs == null ? InvitationPageView.Visitor.NEW_ACCOUNT
				: EmailAddress.same(signedInAs, preview.email()) ? InvitationPageView.Visitor.INVITEE
						: InvitationPageView.Visitor.OTHER_ACCOUNT;
		InvitationPageView view = new InvitationPageView(token, preview.organizationName(), preview.inviter(),
				preview.email(), visitor, signedInAs);
		return SignInPages.view(ctx, "accept-invitation", status, "invitation", view, "form", form, "minLength",
				passwords.minLength(), "maxLength", PasswordPolicy.MAX_LENGTH);
	}

	/** A link that can no longer be accepted: why, and what to do instead; no form. */
	private static ModelAndView deadLink(PageContext ctx, ApiException e) {
		String why = DEAD_LINK.contains(e.code()) ? ctx.t("invitation.dead." + e.code().code())
				: sentence(ctx, e, "invitation.dead.invalid_invitation");
		return SignInPages.view(ctx, "message", e.code().status(), "title", ctx.t("invitation.dead_title"), "message",
				why + " " + ctx.t("invitation.dead_hint", ctx.brand().appName()), "linkHref", PageRoutes.SIGN_IN,
				"linkText", ctx.t("sign_up.to_sign_in"));
	}

	private ModelAndView joinedPage(PageContext ctx, String message) {
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("invitation.joined_title"), "message",
				message, "linkHref", redirects.target(null).toString(), "linkText", ctx.t("invitation.continue"));
	}

	/** The account page again, its organizations section saying why a change was refused. */
	private ModelAndView refused(Caller caller, PageContext ctx, ApiException e, String notFoundKey) {
		FormState form = new FormState(Map.of(), List.of(), sentence(ctx, e, notFoundKey));
		return refused(caller, ctx, e.code().status(), form);
	}

	private ModelAndView refused(Caller caller, PageContext ctx, HttpStatus status, FormState form) {
		return accountPages.page(caller, ctx, status, section.of(caller, ctx, form));
	}

	/**
	 * The sentence for a refusal in the page's language: a rate limit with its wait, {@code not_found} with the
	 * caller's key, any other code with {@code org.refused.<code>} (the API's English sentence if it has none).
	 */
	private static String sentence(PageContext ctx, ApiException e, String notFoundKey) {
		if (e.retryAfter() != null) {
			return FormState.waitSentence(ctx.messages(), e.retryAfter());
		}
		String key = e.code() == ErrorCode.NOT_FOUND ? notFoundKey : "org.refused." + e.code().code();
		return ctx.messages().has(key) ? ctx.t(key) : e.getMessage();
	}

	private static ModelAndView backToAccount() {
		return SignInPages.seeOther(URI.create(PageRoutes.ACCOUNT + "#organizations"));
	}
}
