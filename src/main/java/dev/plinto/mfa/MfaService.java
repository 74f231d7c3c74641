package dev.plinto.mfa;

import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.session.SecondFactors;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.nayuki.qrcodegen.QrCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * TOTP authenticators and recovery codes of signed-in users, and the check of a code during sign-in.
 * <ul>
 * <li>TOTP follows RFC 6238 ({@link Totp}): the secret is sealed with the master key ({@link SecretBox}, the
 * user id as associated data) as the OWASP Multifactor Authentication Cheat Sheet asks for shared secrets; a code
 * is accepted for the current step and one step either side (RFC 6238 §5.2), and only for a step newer than the
 * last one accepted, persisted in the database, so a code is never accepted twice on any node or after a
 * restart (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the same OTP").</li>
 * <li>Recovery codes: ten codes of 60 random bits each (NIST SP 800-63B §5.1.2 look-up secrets: at least 20
 * bits; Plinto's are well above it). They are stored only as SHA-256 hashes: being random and
 * long, they need no slow hash (OWASP Password Storage Cheat Sheet applies key stretching to low-entropy
 * secrets; 2^60 guesses against SHA-256 are out of reach). Each is single use; regenerating replaces the set.</li>
 * <li>Every code check counts toward the account's lockout ({@link SignInLockout}) like a password attempt
 * (NIST SP 800-63B §5.2.2), and management calls are limited per user ({@code PLINTO_RATE_LIMIT_MFA}).</li>
 * <li>Removing TOTP needs the password or a fresh code (OWASP Multifactor Authentication Cheat Sheet, "Changing
 * MFA settings requires re-authentication"). Every change is audited.</li>
 * </ul>
 */
@Service
public final class MfaService implements SecondFactors {

	static final int RECOVERY_CODE_COUNT = 10;

	/** 12 Crockford base32 characters: 60 bits. */
	static final int RECOVERY_CODE_LENGTH = 12;

	private static final char[] CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final MfaRepository repository;

	private final PasskeyRepository passkeys;

	private final UserRepository users;

	private final SecretBox secrets;

	private final PasswordHasher hasher;

	private final SignInLockout lockout;

	private final RateLimiter rateLimiter;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final LiveSettings live;

	private final ApplicationEventPublisher events;

	public MfaService(MfaRepository repository, PasskeyRepository passkeys, UserRepository users, SecretBox secrets,
			PasswordHasher hasher, SignInLockout lockout, RateLimiter rateLimiter, AuditLog audit,
			TransactionOperations tx, Clock clock, PlintoSettings settings, LiveSettings live,
			ApplicationEventPublisher events) {
		this.events = events;
		this.repository = repository;
		this.passkeys = passkeys;
		this.users = users;
		this.secrets = secrets;
		this.hasher = hasher;
		this.lockout = lockout;
		this.rateLimiter = rateLimiter;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
		this.live = live;
	}

	/** What a user has enrolled, for {@code GET /v1/me/mfa}. */
	public record Status(boolean totpEnabled, boolean totpPending, int recoveryCodesRemaining, int passkeys,
			List<String> factors) {
	}

	/** A started TOTP enrolment: the base32 secret, the {@code otpauth://} URI and its QR code as a data URI. */
	public record TotpEnrollment(String secret, String otpauthUri, String qrCode) {
	}

	@Override
	public List<String> available(String userId) {
		boolean totp = repository.findTotp(userId).filter(MfaRepository.TotpFactor::confirmed).isPresent();
		boolean passkey = passkeys.countByUser(userId) > 0;
		List<String> factors = new ArrayList<>();
		if (totp) {
			factors.add("totp");
		}
		if ((totp || passkey) && repository.countUnusedRecoveryCodes(userId) > 0) {
			factors.add("recovery_code");
		}
		if (passkey) {
			factors.add("passkey");
		}
		return List.copyOf(factors);
	}

	/** What a user has enrolled, for {@code GET /v1/me/mfa}: a call of the per-user MFA limit. */
	public Status status(String userId) {
		limit(userId);
		return summary(userId);
	}

	/**
	 * What a user has enrolled, without counting toward the per-user MFA limit: the account page shows it on every
	 * view, and reading it changes nothing an attacker could guess at.
	 */
	public Status summary(String userId) {
		Optional<MfaRepository.TotpFactor> totp = repository.findTotp(userId);
		return new Status(totp.filter(MfaRepository.TotpFactor::confirmed).isPresent(),
				totp.filter(t -> !t.confirmed()).isPresent(), repository.countUnusedRecoveryCodes(userId),
				passkeys.countByUser(userId), available(userId));
	}

	/** Starts (or restarts) TOTP enrolment with a fresh secret; 409 when an authenticator is already active. */
	public TotpEnrollment startTotp(String userId) {
		limit(userId);
		User user = user(userId);
		byte[] key = SecureTokens.randomBytes(Totp.SECRET_BYTES);
		String secret = Totp.base32(key);
		if (!repository.savePendingTotp(userId, secrets.seal(secret, sealContext(userId)), clock.instant())) {
			throw new ApiException(ErrorCode.TOTP_ALREADY_ENABLED,
					"An authenticator is already active; remove it before enrolling a new one.");
		}
		return enrollment(user, secret);
	}

	/**
	 * The enrolment started but not confirmed yet, shown again (e.g. after a mistyped code, so the user need not
	 * scan a new QR code); empty when there is none.
	 */
	public Optional<TotpEnrollment> pendingTotp(String userId) {
		return repository.findTotp(userId)
			.filter(t -> !t.confirmed())
			.map(t -> enrollment(user(userId), secrets.open(t.sealedSecret(), sealContext(userId))));
	}

	private TotpEnrollment enrollment(User user, String secret) {
		String issuer = settings.appName();
		String label = encode(issuer) + ":" + encode(user.email());
		String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
				+ "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
		return new TotpEnrollment(secret, uri, qrCode(uri));
	}

	/**
	 * Confirms the pending authenticator with a current code, activates it and returns a fresh set of recovery
	 * codes (shown once).
	 */
	public List<String> confirmTotp(String userId, String code, String sessionId, ClientInfo client) {
		limit(userId);
		User user = user(userId);
		MfaRepository.TotpFactor pending = repository.findTotp(userId).orElse(null);
		if (pending == null || pending.confirmed()) {
			throw new ApiException(pending == null ? ErrorCode.TOTP_NOT_ENABLED : ErrorCode.TOTP_ALREADY_ENABLED,
					pending == null ? "Start enrolment with POST /v1/me/mfa/totp first."
							: "The authenticator is already active.");
		}
		attempt(user);
		long step = matchingStep(pending, code);
		if (step < 0) {
			codeRefused(user, sessionId, client, "totp enrolment: wrong code");
		}
		List<String> codes = newRecoveryCodes();
		boolean confirmed = Boolean.TRUE.equals(tx.execute(status -> {
			if (!repository.confirmTotp(userId, pending.sealedSecret(), clock.instant(), step)) {
				return false;
			}
			repository.replaceRecoveryCodes(userId, codes.stream().map(MfaService::hashCode).toList(),
					clock.instant());
			audit.record(AuditEvent.Type.MFA_FACTOR_ADDED, userId, sessionId, client, "totp");
			events.publishEvent(new MfaEvent(MfaEvent.Kind.ENABLED, userId, "totp", null));
			audit.record(AuditEvent.Type.RECOVERY_CODES_REGENERATED, userId, sessionId, client, null);
			return true;
		}));
		if (!confirmed) {
			throw new ApiException(ErrorCode.TOTP_ALREADY_ENABLED, "The authenticator is already active.");
		}
		lockout.succeeded(user.email());
		return codes;
	}

	/**
	 * Removes the authenticator after a fresh proof: the password, or a current TOTP or recovery code. With
	 * {@code PLINTO_MFA=required} the last factor cannot be removed.
	 */
	public void removeTotp(String userId, String password, String code, String sessionId, ClientInfo client) {
		limit(userId);
		User user = user(userId);
		MfaRepository.TotpFactor totp = repository.findTotp(userId).orElse(null);
		if (totp == null) {
			throw new ApiException(ErrorCode.TOTP_NOT_ENABLED, "No authenticator is enrolled.");
		}
		if (totp.confirmed() && live.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED
				&& passkeys.countByUser(userId) == 0) {
			throw new ApiException(ErrorCode.MFA_LAST_FACTOR,
					"Two-step verification is required here: add a passkey before removing the authenticator.");
		}
		attempt(user);
		if (password != null) {
			if (!hasher.verify(password, user.passwordHash())) {
				audit.record(AuditEvent.Type.MFA_FAILED, userId, sessionId, client, "totp removal: wrong password");
				throw new ApiException(ErrorCode.WRONG_PASSWORD, "The password is not correct.");
			}
		}
		else if (!totp.confirmed() || !verifyCode(user, code, sessionId, client)) {
			codeRefused(user, sessionId, client, "totp removal: wrong code");
		}
		tx.executeWithoutResult(status -> {
			if (repository.deleteTotp(userId)) {
				if (passkeys.countByUser(userId) == 0) {
					repository.deleteRecoveryCodes(userId);
				}
				audit.record(AuditEvent.Type.MFA_FACTOR_REMOVED, userId, sessionId, client, "totp");
				events.publishEvent(new MfaEvent(MfaEvent.Kind.DISABLED, userId, "totp", null));
			}
		});
		lockout.succeeded(user.email());
	}

	/**
	 * Removes every second factor of the account at the operator's request (the Backend API), for a user who lost
	 * them: the authenticator, the recovery codes and the passkeys, in one transaction, each removal announced to
	 * webhooks, and audited as {@code mfa.reset}. No proof is asked: the operator vouches for the user (OWASP
	 * Multifactor Authentication Cheat Sheet, "Resetting MFA": by a verified support process). Returns how many
	 * factors were removed.
	 */
	public int reset(String userId, ClientInfo client) {
		return tx.execute(status -> {
			int removed = 0;
			if (repository.deleteTotp(userId)) {
				removed++;
				events.publishEvent(new MfaEvent(MfaEvent.Kind.DISABLED, userId, "totp", null));
			}
			for (PasskeyRepository.Passkey passkey : passkeys.findByUser(userId)) {
				if (passkeys.delete(userId, passkey.id())) {
					removed++;
					events.publishEvent(new MfaEvent(MfaEvent.Kind.PASSKEY_REMOVED, userId, "passkey",
							PasskeyService.PasskeyView.of(passkey)));
				}
			}
			repository.deleteRecoveryCodes(userId);
			audit.record(AuditEvent.Type.MFA_RESET, userId, null, client, removed + " factor(s) removed");
			return removed;
		});
	}

	/** Replaces the recovery codes with a new set (the old ones stop working); needs an enrolled factor. */
	public List<String> regenerateRecoveryCodes(String userId, String sessionId, ClientInfo client) {
		limit(userId);
		boolean hasFactor = repository.findTotp(userId).filter(MfaRepository.TotpFactor::confirmed).isPresent()
				|| passkeys.countByUser(userId) > 0;
		if (!hasFactor) {
			throw new ApiException(ErrorCode.MFA_FACTOR_NOT_AVAILABLE,
					"Enrol an authenticator app or a passkey first; recovery codes back up a second factor.");
		}
		List<String> codes = newRecoveryCodes();
		tx.executeWithoutResult(status -> {
			repository.replaceRecoveryCodes(userId, codes.stream().map(MfaService::hashCode).toList(),
					clock.instant());
			audit.record(AuditEvent.Type.RECOVERY_CODES_REGENERATED, userId, sessionId, client, null);
		});
		return codes;
	}

	/** Checks a TOTP code of the user's active authenticator and spends its step; false when wrong or replayed. */
	boolean verifyTotp(User user, String code) {
		MfaRepository.TotpFactor totp = repository.findTotp(user.id()).filter(MfaRepository.TotpFactor::confirmed)
			.orElse(null);
		if (totp == null) {
			return false;
		}
		long step = matchingStep(totp, code);
		return step >= 0 && repository.useTotpStep(user.id(), step);
	}

	/** Spends a recovery code (audited with the number left); false when it is not an unused code of the user. */
	boolean useRecoveryCode(User user, String code, String sessionId, ClientInfo client) {
		String normalized = normalizeRecoveryCode(code);
		if (normalized == null || !repository.useRecoveryCode(user.id(), hashCode(normalized), clock.instant())) {
			return false;
		}
		audit.record(AuditEvent.Type.RECOVERY_CODE_USED, user.id(), sessionId, client,
				repository.countUnusedRecoveryCodes(user.id()) + " recovery codes left");
		return true;
	}

	/** A TOTP code if it is six digits, otherwise a recovery code. */
	private boolean verifyCode(User user, String code, String sessionId, ClientInfo client) {
		if (code == null) {
			return false;
		}
		return code.trim().matches("\\d{6}") ? verifyTotp(user, code.trim())
				: useRecoveryCode(user, code, sessionId, client);
	}

	/**
	 * The step within ±1 of now whose code equals {@code code} and that is newer than the last step used, or -1.
	 * Every candidate is compared in constant time (OWASP: no timing side channel on secret comparison).
	 */
	private long matchingStep(MfaRepository.TotpFactor totp, String code) {
		if (code == null || !code.trim().matches("\\d{" + Totp.DIGITS + "}")) {
			return -1;
		}
		byte[] key = Totp.fromBase32(secrets.open(totp.sealedSecret(), sealContext(totp.userId())));
		byte[] presented = code.trim().getBytes(StandardCharsets.US_ASCII);
		long now = Totp.step(clock.instant());
		long match = -1;
		for (long step = now - Totp.DRIFT_STEPS; step <= now + Totp.DRIFT_STEPS; step++) {
			boolean equal = MessageDigest.isEqual(Totp.code(key, step).getBytes(StandardCharsets.US_ASCII),
					presented);
			if (equal && step > totp.lastUsedStep() && match < 0) {
				match = step;
			}
		}
		return match;
	}

	/** Counts a code attempt toward the account lockout; 429 when the account is locked. */
	private void attempt(User user) {
		Optional<Duration> locked = lockout.tryAttempt(user.email());
		if (locked.isPresent()) {
			throw ApiException.rateLimited(locked.get());
		}
	}

	/**
	 * A wrong code on a call whose session is valid (confirming enrolment, removing TOTP) answers 400
	 * {@code wrong_mfa_code}, not 401: RFC 9110, section 15.5.2 reserves 401 for requests lacking valid
	 * authentication credentials, and clients sign the user out on it. The sign-in step, where the caller is not
	 * authenticated yet, keeps 401 {@code invalid_mfa_code}.
	 */
	private void codeRefused(User user, String sessionId, ClientInfo client, String detail) {
		audit.record(AuditEvent.Type.MFA_FAILED, user.id(), sessionId, client, detail);
		throw new ApiException(ErrorCode.WRONG_MFA_CODE,
				"The code is not correct, or was already used; enter the current code.");
	}

	private void limit(String userId) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
	}

	private User user(String userId) {
		return users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
	}

	private static List<String> newRecoveryCodes() {
		List<String> codes = new ArrayList<>(RECOVERY_CODE_COUNT);
		for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
			StringBuilder code = new StringBuilder();
			for (int c = 0; c < RECOVERY_CODE_LENGTH; c++) {
				if (c > 0 && c % 4 == 0) {
					code.append('-');
				}
				code.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
			}
			codes.add(code.toString());
		}
		return codes;
	}

	/** The canonical form of a typed recovery code (case, dashes and spaces ignored), or null if it cannot be one. */
	static String normalizeRecoveryCode(String code) {
		if (code == null) {
			return null;
		}
		String c = code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
		return c.length() == RECOVERY_CODE_LENGTH ? c : null;
	}

	private static String hashCode(String code) {
		return SecureTokens.hash("recovery:" + normalizeRecoveryCode(code));
	}

	private static String sealContext(String userId) {
		return JdbcMfaRepository.SEALED.associatedData(userId);
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** The QR code of the URI as an SVG data URI (Nayuki's QR Code generator, error correction level M). */
	static String qrCode(String text) {
		QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
		int border = 4;
		int size = qr.size + border * 2;
		StringBuilder path = new StringBuilder();
		for (int y = 0; y < qr.size; y++) {
			for (int x = 0; x < qr.size; x++) {
				if (qr.getModule(x, y)) {
					path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
				}
			}
		}
		String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
				+ "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\""
				+ path + "\" fill=\"#000\"/></svg>";
		return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
	}
}
