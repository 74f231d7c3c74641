package dev.plinto.mfa;

import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Re-authentication before changes to how an account signs in: registering or deleting a passkey, starting a TOTP
 * enrolment and regenerating recovery codes need a session whose sign-in ({@code auth_time} of the access token)
 * is at most {@code PLINTO_REAUTHENTICATION_WINDOW} old, otherwise 403 {@code reauthentication_required}.
 * <p>
 * OWASP ASVS 4.0.3 V3.7.1 (re-authentication before sensitive account modifications) and the OWASP
 * Authentication Cheat Sheet ("Require Re-authentication for Sensitive Features"): an access token taken from a
 * long-lived session, or minted from a stolen refresh token, must not be enough to add a factor the attacker
 * keeps after the session ends, nor to remove or replace the user's own. The {@code auth_time} claim follows RFC
 * 9068 §2.2.1. An MFA enrolment token ({@code PLINTO_MFA=required}) counts as recent: it is issued by the password
 * step and lives 15 minutes.
 */
@Component
public final class RecentAuthentication {

	private final Clock clock;

	private final Duration window;

	public RecentAuthentication(Clock clock, PlintoSettings settings) {
		this.clock = clock;
		this.window = settings.mfa().reauthenticationWindow();
	}

	/** Throws 403 {@code reauthentication_required} unless the caller signed in within the window. */
	public void require(Jwt jwt) {
		if ("mfa_enrollment".equals(jwt.getClaimAsString("scope"))) {
			return;
		}
		Instant authTime = jwt.getClaimAsInstant("auth_time");
		if (authTime == null || authTime.isBefore(clock.instant().minus(window))) {
			throw new ApiException(ErrorCode.REAUTHENTICATION_REQUIRED, "This change needs a sign-in within the last "
					+ PlintoSettings.DurationFormat.format(window) + ": sign in again, then retry.");
		}
	}
}
