package dev.plinto.security;

import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The "signed in recently" rule, applied by {@link WebSecurityConfiguration} to the routes that change how an
 * account signs in: registering or deleting a passkey, starting a TOTP enrolment and regenerating recovery codes.
 * They need a session whose sign-in ({@code auth_time} of the access token) is at most
 * {@code PLINTO_REAUTHENTICATION_WINDOW} old; otherwise the decision is {@link Required}, which the security
 * configuration's access-denied handler answers with 403 {@code reauthentication_required}.
 * <p>
 * OWASP ASVS 4.0.3 V3.7.1 (re-authentication before sensitive account modifications) and the OWASP
 * Authentication Cheat Sheet ("Require Re-authentication for Sensitive Features"): an access token taken from a
 * long-lived session, or minted from a stolen refresh token, must not be enough to add a factor the attacker
 * keeps after the session ends, nor to remove or replace the user's own. The {@code auth_time} claim follows RFC
 * 9068 §2.2.1; a refresh keeps it, so refreshing does not make a sign-in recent. An MFA enrolment token
 * ({@code PLINTO_MFA=required}) counts as recent: it is issued by the password step and lives 15 minutes.
 * <p>
 * A token of an impersonation session (one carrying {@code act}, RFC 8693 §4.1) is refused on these routes whatever
 * its {@code auth_time}: {@link Impersonating}. The session was started by an administrator or an API key, not by
 * the user's own sign-in, and it is short-lived by design; a passkey, an authenticator app or a linked identity
 * added through it would outlive it and let the impersonator sign in as the user later, unseen (OWASP Authorization
 * Cheat Sheet, "Enforce Least Privileges"). The export of all the user's data is refused to it for the same reason.
 */
final class RecentSignIn implements AuthorizationManager<RequestAuthorizationContext> {

	/** A refusal because the sign-in is older than the window; {@link #detail()} tells the caller what to do. */
	static final class Required extends AuthorizationDecision {

		private final String detail;

		Required(String detail) {
			super(false);
			this.detail = detail;
		}

		String detail() {
			return this.detail;
		}
	}

	/** A refusal because the token is an impersonation session's ({@code act} claim). */
	static final class Impersonating extends AuthorizationDecision {

		static final Impersonating INSTANCE = new Impersonating();

		static final String DETAIL = "An impersonation session cannot change how the account signs in nor export "
				+ "its data; only the user can, signed in themselves.";

		private Impersonating() {
			super(false);
		}
	}

	private final Clock clock;

	private final Duration window;

	private final String enrollmentAuthority;

	private final Required required;

	RecentSignIn(Clock clock, Duration window, String enrollmentAuthority) {
		this.clock = clock;
		this.window = window;
		this.enrollmentAuthority = enrollmentAuthority;
		this.required = new Required("This change needs a sign-in within the last "
				+ PlintoSettings.DurationFormat.format(window) + ": sign in again, then retry.");
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication auth = authentication.get();
		if (auth == null || !(auth.getPrincipal() instanceof Jwt jwt)) {
			return new AuthorizationDecision(false);
		}
		if (jwt.hasClaim("act")) {
			return Impersonating.INSTANCE;
		}
		if (auth.getAuthorities().stream().anyMatch(a -> enrollmentAuthority.equals(a.getAuthority()))) {
			return new AuthorizationDecision(true);
		}
		Instant authTime = jwt.getClaimAsInstant("auth_time");
		boolean recent = authTime != null && !authTime.isBefore(clock.instant().minus(window));
		return recent ? new AuthorizationDecision(true) : required;
	}
}
