package dev.plinto.mfa;

import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The sign-in strategies of this feature, on the stored flows of {@link SignInService}: the second-factor step of
 * a password flow ({@code MFA_REQUIRED} to {@code COMPLETED}) and the passwordless passkey flow.
 * <p>
 * Each call takes a token from the per-IP sign-in bucket, and each code or assertion counts as an attempt on the
 * account's lockout before it is checked, exactly like a password (NIST SP 800-63B §5.2.2; OWASP Multifactor
 * Authentication Cheat Sheet, "Resetting MFA" and rate limiting): a locked account stays locked whatever factor is
 * presented. The resulting session's {@code amr} lists the methods used (RFC 8176 §2): {@code pwd}, {@code otp}
 * for a TOTP or recovery code (both one-time passwords), {@code hwk} for a device-bound passkey (proof of
 * possession of a hardware-protected key) or {@code swk} for a synced one (see {@link PasskeyService.Assertion}),
 * and {@code mfa} when more than one factor was used.
 */
@Service
public final class MfaSignInService {

	/** Factor names accepted by {@code POST /v1/sign-in/mfa}. */
	static final List<String> FACTORS = List.of("totp", "recovery_code", "passkey");

	private final SignInService signIn;

	private final MfaService mfa;

	private final PasskeyService passkeys;

	private final UserRepository users;

	private final SignInLockout lockout;

	private final RateLimiter rateLimiter;

	private final AuditLog audit;

	private final TransactionOperations tx;

	public MfaSignInService(SignInService signIn, MfaService mfa, PasskeyService passkeys, UserRepository users,
			SignInLockout lockout, RateLimiter rateLimiter, AuditLog audit, TransactionOperations tx) {
		this.signIn = signIn;
		this.mfa = mfa;
		this.passkeys = passkeys;
		this.users = users;
		this.lockout = lockout;
		this.rateLimiter = rateLimiter;
		this.audit = audit;
		this.tx = tx;
	}

	/** Completes a password flow with a second factor: a TOTP or recovery code, or a passkey assertion. */
	public TokenResponse completeSecondFactor(String mfaToken, String factor, String code, String credentialJson,
			ClientInfo client) {
		limit(client);
		SignInFlow flow = signIn.awaitingSecondFactor(mfaToken);
		User user = users.findById(flow.userId()).orElseThrow(() -> new ApiException(ErrorCode.INVALID_MFA_TOKEN,
				"The account of this sign-in no longer exists."));
		if (!mfa.available(user.id()).contains(factor)) {
			throw new ApiException(ErrorCode.MFA_FACTOR_NOT_AVAILABLE,
					"This account cannot sign in with '" + factor + "'; use one of " + mfa.available(user.id()) + ".");
		}
		String method;
		if ("passkey".equals(factor)) {
			if (credentialJson == null) {
				throw ApiException.validation("credential", ErrorCode.VALIDATION_FAILED,
						"Send the passkey assertion as credential.");
			}
			try {
				method = passkeys.verifyAssertion(credentialJson, flow.id(), false, userId -> attempt(user, client),
						client).amr();
			}
			catch (ApiException e) {
				if (e.code() != ErrorCode.RATE_LIMITED) {
					signIn.count("passkey_refused");
					audit.record(AuditEvent.Type.MFA_FAILED, user.id(), null, client, "passkey: " + e.code().code());
				}
				throw e;
			}
		}
		else {
			if (code == null || code.isBlank()) {
				throw ApiException.validation("code", ErrorCode.VALIDATION_FAILED, "Send the code.");
			}
			attempt(user, client);
			TokenResponse tokens;
			if ("totp".equals(factor)) {
				tokens = mfa.verifyTotp(user, code) ? finish(flow, user, "otp", factor, client) : null;
			}
			else {
				// The recovery code is spent in the transaction that completes the flow: of two submissions with one
				// mfa_token, the one that loses the flow's transition rolls back and keeps its code unused (a
				// look-up secret is used up only by a successful authentication, NIST SP 800-63B §5.1.2.2).
				tokens = tx.execute(status -> mfa.useRecoveryCode(user, code, null, client)
						? finish(flow, user, "otp", factor, client) : null);
			}
			if (tokens == null) {
				signIn.count("invalid_mfa_code");
				audit.record(AuditEvent.Type.MFA_FAILED, user.id(), null, client, factor + ": wrong code");
				throw new ApiException(ErrorCode.INVALID_MFA_CODE, "totp".equals(factor)
						? "The code is not correct or was already used; enter the current code from the app."
						: "This recovery code is not correct or was already used.");
			}
			return tokens;
		}
		return finish(flow, user, method, factor, client);
	}

	/** A sign-in completed by enrolling the first authenticator, and the recovery codes to show once. */
	public record EnrolledSignIn(TokenResponse tokens, List<String> recoveryCodes) {
	}

	/**
	 * Completes a password flow that stopped at {@code ENROLLMENT_REQUIRED} ({@code PLINTO_MFA=required}) by
	 * confirming the authenticator the user just set up: the password was proven by the flow and the TOTP code by
	 * the confirmation, so the flow ends with a session ({@code amr} {@code pwd otp mfa}) instead of a second
	 * sign-in. The enrolment token proves only the password, so it can be spent once and only together with a
	 * correct code (OWASP Multifactor Authentication Cheat Sheet, "Implementing MFA": no access before the second
	 * factor); the code counts toward the account's lockout like every code.
	 */
	public EnrolledSignIn enrollTotpAndSignIn(String enrollmentToken, String code, ClientInfo client) {
		limit(client);
		SignInFlow flow = signIn.awaitingEnrollment(enrollmentToken);
		User user = users.findById(flow.userId()).orElseThrow(() -> new ApiException(ErrorCode.INVALID_MFA_TOKEN,
				"The account of this sign-in no longer exists."));
		List<String> codes = mfa.confirmTotp(user.id(), code, null, client);
		List<String> amr = new ArrayList<>(flow.amr());
		amr.add("otp");
		amr.add("mfa");
		TokenResponse tokens = signIn.complete(flow, SignInFlow.State.ENROLLMENT_REQUIRED, user, List.copyOf(amr),
				client, "password + totp enrolment", ErrorCode.INVALID_MFA_TOKEN);
		return new EnrolledSignIn(tokens, codes);
	}

	/**
	 * The second factors the user behind {@code mfaToken} can answer with, for a page that offers them; empty when
	 * the token is no longer valid.
	 */
	public List<String> factors(String mfaToken) {
		try {
			return mfa.available(signIn.awaitingSecondFactor(mfaToken).userId());
		}
		catch (ApiException e) {
			return List.of();
		}
	}

	/** Ends the flow with a session whose {@code amr} adds the second factor's method and {@code mfa}. */
	private TokenResponse finish(SignInFlow flow, User user, String method, String factor, ClientInfo client) {
		List<String> amr = new ArrayList<>(flow.amr());
		amr.add(method);
		amr.add("mfa");
		TokenResponse tokens = signIn.complete(flow, SignInFlow.State.MFA_REQUIRED, user, List.copyOf(amr), client,
				"password + " + factor, ErrorCode.INVALID_MFA_TOKEN);
		audit.record(AuditEvent.Type.MFA_SUCCEEDED, user.id(), tokens.sessionId(), client, factor);
		return tokens;
	}

	/**
	 * Request options for a passkey assertion: for the second-factor step of the flow behind {@code mfaToken}, or,
	 * without one, for a new passwordless sign-in flow of the given type (the JSON API's or a browser's).
	 */
	public WebAuthnJson.RequestOptions passkeyOptions(String mfaToken, SignInFlow.Type type, ClientInfo client) {
		limit(client);
		if (mfaToken != null) {
			SignInFlow flow = signIn.awaitingSecondFactor(mfaToken);
			if (!mfa.available(flow.userId()).contains("passkey")) {
				throw new ApiException(ErrorCode.MFA_FACTOR_NOT_AVAILABLE, "This account has no passkey.");
			}
			return passkeys.authenticationOptions(flow.id(), flow.userId());
		}
		SignInFlow flow = signIn.startPasskey(type, client);
		return passkeys.authenticationOptions(flow.id(), null);
	}

	/**
	 * Passwordless sign-in with a discoverable passkey, answering the options of {@link #passkeyOptions}; the
	 * flow must be of {@code type}, so options a browser's page asked for are not completed on the JSON API nor
	 * the other way round.
	 */
	public TokenResponse signInWithPasskey(String credentialJson, SignInFlow.Type type, ClientInfo client) {
		signIn.requireMethod(PlintoSettings.SignInMethod.PASSKEY);
		limit(client);
		User[] user = new User[1];
		PasskeyService.Assertion assertion;
		try {
			assertion = passkeys.verifyAssertion(credentialJson, null, true, userId -> {
				user[0] = users.findById(userId).orElseThrow(() -> new ApiException(ErrorCode.PASSKEY_UNKNOWN,
						"This passkey is not registered."));
				attempt(user[0], client);
			}, client);
		}
		catch (ApiException e) {
			if (e.code() != ErrorCode.RATE_LIMITED) { // a locked account was already counted and audited
				signIn.count("passkey_refused");
				if (user[0] != null) {
					audit.record(AuditEvent.Type.SIGN_IN_FAILED, user[0].id(), null, client,
							"passkey: " + e.code().code());
				}
			}
			throw e;
		}
		SignInFlow flow = signIn.live(assertion.challenge().flowId(), SignInFlow.State.STARTED)
			.filter(f -> f.strategy() == SignInFlow.Strategy.PASSKEY && f.type() == type)
			.orElseThrow(() -> new ApiException(ErrorCode.WEBAUTHN_CHALLENGE_INVALID,
					"This sign-in attempt expired; request new options."));
		return signIn.complete(flow, SignInFlow.State.STARTED, user[0], List.of(assertion.amr()), client, "passkey",
				ErrorCode.WEBAUTHN_CHALLENGE_INVALID);
	}

	private void attempt(User user, ClientInfo client) {
		Optional<Duration> locked = lockout.tryAttempt(user.email());
		if (locked.isPresent()) {
			signIn.count("locked");
			audit.record(AuditEvent.Type.SIGN_IN_LOCKED, user.id(), null, client,
					"attempt refused: account temporarily locked after repeated failures");
			throw ApiException.rateLimited(locked.get());
		}
	}

	private void limit(ClientInfo client) {
		Optional<Duration> wait = rateLimiter.tryConsume(RateLimiter.Limit.SIGN_IN, client.ip());
		if (wait.isPresent()) {
			signIn.count("rate_limited");
			throw ApiException.rateLimited(wait.get());
		}
	}
}
