package dev.plinto.admin;

import dev.plinto.mfa.MfaService;
import dev.plinto.pages.PageRoutes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Who may open a page of the admin dashboard, decided for every {@code /admin} request by the pages' filter chain
 * (security.WebSecurityConfiguration), never re-checked by hand in a controller:
 * <ol>
 * <li>A signed-in browser (the hosted pages' session cookies); anyone else is sent to sign in and back.</li>
 * <li>An instance role ({@link DashboardRole}) read from the database at each request ({@link DashboardRoles}), so
 * a withdrawn role ends access at once; without one the answer is 403 (OWASP Authorization Cheat Sheet, "Deny by
 * default", "Validate the permissions on every request"). {@code support} may read and is refused every post
 * ("Enforce least privilege").</li>
 * <li>A second factor: an administrator without one is sent to the account page to enrol an authenticator app or
 * a passkey before any dashboard page ({@link Refusal#ENROL}), and one whose browser session was not signed in with
 * it ({@code amr} without {@code mfa} or a passkey, RFC 8176) is sent to sign in again with it
 * ({@link Refusal#SIGN_IN_WITH_SECOND_FACTOR}) — OWASP Multifactor Authentication Cheat Sheet ("Require MFA for
 * administrative accounts"), ASVS 4.0.3 V2.1 and NIST SP 800-63B §4.2 (AAL2 for privileged access).</li>
 * </ol>
 * The bootstrap page ({@link AdminPageRoutes#BOOTSTRAP}) only needs a signed-in browser: it is how the first
 * administrator gets the role, and it checks its own single-use token.
 */
@Component
public final class DashboardAccess implements AuthorizationManager<RequestAuthorizationContext> {

	/** A refusal with where to send the browser, or the sentence of a 403 page. */
	public static final class Refusal extends AuthorizationDecision {

		/** No instance role, or {@code support} posting a change: the 403 page. */
		static final Refusal FORBIDDEN = new Refusal(null, "admin.forbidden");

		static final Refusal READ_ONLY = new Refusal(null, "admin.read_only");

		/** An administrator without a second factor: enrol one on the account page first. */
		static final Refusal ENROL = new Refusal(PageRoutes.ACCOUNT + "?admin_mfa=required#mfa", null);

		/** A session signed in without the second factor: sign in again with it, then back to the dashboard. */
		static final Refusal SIGN_IN_WITH_SECOND_FACTOR = new Refusal(PageRoutes.SIGN_IN + "?prompt=login&redirect_url="
				+ URLEncoder.encode(AdminPageRoutes.OVERVIEW, StandardCharsets.UTF_8), null);

		private final String redirect;

		private final String messageKey;

		private Refusal(String redirect, String messageKey) {
			super(false);
			this.redirect = redirect;
			this.messageKey = messageKey;
		}

		/** Where to send the browser (303), or null to answer 403 with {@link #messageKey()}. */
		public String redirect() {
			return redirect;
		}

		/** The message key of the 403 page's sentence, when {@link #redirect()} is null. */
		public String messageKey() {
			return messageKey;
		}
	}

	/** RFC 8176 methods that prove a second factor: {@code mfa}, or a passkey (hardware- or software-bound key). */
	private static final List<String> SECOND_FACTOR_METHODS = List.of("mfa", "hwk", "swk");

	private final DashboardRoles roles;

	private final MfaService mfa;

	DashboardAccess(DashboardRoles roles, MfaService mfa) {
		this.roles = roles;
		this.mfa = mfa;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication auth = authentication.get();
		if (auth == null || auth instanceof AnonymousAuthenticationToken || !(auth.getPrincipal() instanceof Jwt jwt)) {
			return new AuthorizationDecision(false);
		}
		String path = context.getRequest().getRequestURI();
		if (path.equals(AdminPageRoutes.BOOTSTRAP)) {
			return new AuthorizationDecision(true);
		}
		if (jwt.hasClaim("act")) {
			// An impersonation session acts as the user, never as an administrator (OWASP Authorization Cheat Sheet,
			// "Enforce Least Privileges"); accounts with an instance role cannot be impersonated in the first place.
			return Refusal.FORBIDDEN;
		}
		Optional<DashboardRole> role = roles.roleOf(jwt.getSubject());
		if (role.isEmpty()) {
			return Refusal.FORBIDDEN;
		}
		MfaService.Status factors = mfa.summary(jwt.getSubject());
		if (!factors.totpEnabled() && factors.passkeys() == 0) {
			return Refusal.ENROL;
		}
		List<String> amr = jwt.getClaimAsStringList("amr");
		if (amr == null || amr.stream().noneMatch(SECOND_FACTOR_METHODS::contains)) {
			return Refusal.SIGN_IN_WITH_SECOND_FACTOR;
		}
		boolean read = List.of("GET", "HEAD").contains(context.getRequest().getMethod());
		if (!read && !role.get().mayChange()) {
			return Refusal.READ_ONLY;
		}
		return new AuthorizationDecision(true);
	}
}
