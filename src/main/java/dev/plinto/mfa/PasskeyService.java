package dev.plinto.mfa;

import io.swagger.v3.oas.annotations.media.Schema;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.util.Base64UrlUtil;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Passkeys: WebAuthn registration and authentication ceremonies verified by webauthn4j (W3C Web Authentication
 * Level 2 §7.1 and §7.2).
 * <ul>
 * <li>Challenges are 256 random bits (§13.4.3 asks for at least 16 bytes), stored server-side as SHA-256 hashes
 * so any node can finish a ceremony, bound to the user or the sign-in flow they were issued for, deleted by the
 * first response that presents them (single use) and expiring after five minutes.</li>
 * <li>The relying party id and the allowed origins come from {@code PLINTO_WEBAUTHN_RP_ID} and
 * {@code PLINTO_WEBAUTHN_ORIGINS} (§7.1 steps 9 and 13); a wrong origin, RP id, challenge, an unknown credential
 * or a signature counter that does not increase (§7.2 step 21, a sign of a cloned authenticator) is refused
 * with its own problem code.</li>
 * <li>Credentials are discoverable ({@code residentKey: required}) and user verification is required for a
 * passwordless sign-in, so a passkey alone is possession plus a PIN or biometric (§6.2.3, "user verification").
 * The user handle is the opaque user id, which holds no personal data (§14.6.1).</li>
 * <li>Attestation is not requested ({@code attestation: none}): Plinto does not restrict authenticator models, so
 * it has no trust anchors to check attestation against (§7.1 step 21).</li>
 * </ul>
 */
@Service
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
public class PasskeyService {

	static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

	private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
			new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
			new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
			new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

	private final PasskeyRepository passkeys;

	private final MfaRepository factors;

	private final UserRepository users;

	private final AuditLog audit;

	private final RateLimiter rateLimiter;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final LiveSettings live;

	private final WebAuthnManager webAuthn = WebAuthnManager.createNonStrictWebAuthnManager();

	private final AttestedCredentialDataConverter credentialData = new AttestedCredentialDataConverter(
			new ObjectConverter());

	private final Set<Origin> origins;

	private final ApplicationEventPublisher events;

	public PasskeyService(PasskeyRepository passkeys, MfaRepository factors, UserRepository users, AuditLog audit,
			RateLimiter rateLimiter, TransactionOperations tx, Clock clock, PlintoSettings settings, LiveSettings live,
			ApplicationEventPublisher events) {
		this.events = events;
		this.passkeys = passkeys;
		this.factors = factors;
		this.users = users;
		this.audit = audit;
		this.rateLimiter = rateLimiter;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
		this.live = live;
		this.origins = settings.mfa().webauthnOrigins().stream().map(Origin::new).collect(Collectors.toSet());
	}

	/** A passkey as the API shows it. */
	public record PasskeyView(String id, String name, String credentialId, List<String> transports, long signCount,
			Instant createdAt, @Schema(nullable = true) Instant lastUsedAt) {

		static PasskeyView of(PasskeyRepository.Passkey p) {
			return new PasskeyView(p.id(), p.name(), p.credentialId(), p.transports(), p.signCount(), p.createdAt(),
					p.lastUsedAt());
		}
	}

	/**
	 * A verified assertion: the passkey it used, the challenge it answered, and its RFC 8176 method: {@code swk}
	 * when the authenticator reports the credential backup eligible (a synced passkey, whose key also lives
	 * outside the device, WebAuthn Level 3 §6.1.3), otherwise {@code hwk} (a device-bound hardware key).
	 */
	public record Assertion(PasskeyRepository.Passkey passkey, PasskeyRepository.Challenge challenge, String amr) {
	}

	/** Options for registering a new passkey for a signed-in user, with a fresh stored challenge. */
	public WebAuthnJson.CreationOptions registrationOptions(String userId) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
		User user = user(userId);
		String challenge = newChallenge(PasskeyRepository.Purpose.REGISTRATION, userId, null);
		List<WebAuthnJson.CredentialDescriptor> exclude = passkeys.findByUser(userId)
			.stream()
			.map(PasskeyService::descriptor)
			.toList();
		return new WebAuthnJson.CreationOptions(
				new WebAuthnJson.RelyingParty(settings.mfa().webauthnRpId(), settings.appName()),
				new WebAuthnJson.UserEntity(userHandle(userId), user.email(),
						user.name() == null || user.name().isBlank() ? user.email() : user.name()),
				challenge,
				ALGORITHMS.stream()
					.map(p -> new WebAuthnJson.CredentialParameter("public-key", p.getAlg().getValue()))
					.toList(),
				CHALLENGE_LIFETIME.toMillis(), exclude,
				new WebAuthnJson.AuthenticatorSelection("required", true, "required"), "none");
	}

	/** Verifies a registration response and stores the passkey. */
	public PasskeyView register(String userId, String credentialJson, String name, String sessionId,
			ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
		RegistrationData data;
		try {
			data = webAuthn.parseRegistrationResponseJSON(credentialJson);
		}
		catch (RuntimeException e) {
			// DataConversionException, or Jackson / argument errors for input that is not a WebAuthn response
			throw malformed();
		}
		byte[] challenge = data.getCollectedClientData() == null ? null
				: data.getCollectedClientData().getChallenge().getValue();
		PasskeyRepository.Challenge stored = take(challenge, PasskeyRepository.Purpose.REGISTRATION);
		if (!userId.equals(stored.userId())) {
			throw challengeInvalid();
		}
		try {
			webAuthn.verify(data, new RegistrationParameters(server(challenge), ALGORITHMS, true, true));
		}
		catch (VerificationException e) {
			throw refusal(e);
		}
		catch (DataConversionException | IllegalArgumentException e) {
			throw malformed();
		}
		AttestedCredentialData attested = data.getAttestationObject().getAuthenticatorData()
			.getAttestedCredentialData();
		Instant now = clock.instant();
		List<String> transports = data.getTransports() == null ? List.of()
				: data.getTransports().stream().map(AuthenticatorTransport::getValue).sorted().toList();
		PasskeyRepository.Passkey passkey = new PasskeyRepository.Passkey(SecureTokens.newId("pky"), userId,
				Base64UrlUtil.encodeToString(attested.getCredentialId()),
				Base64UrlUtil.encodeToString(credentialData.convert(attested)),
				data.getAttestationObject().getAuthenticatorData().getSignCount(), transports,
				name == null || name.isBlank() ? "Passkey" : name.trim(), now, null);
		boolean added = Boolean.TRUE.equals(tx.execute(status -> {
			if (!passkeys.insert(passkey)) {
				return false;
			}
			audit.record(AuditEvent.Type.PASSKEY_ADDED, userId, sessionId, client, passkey.id());
			events.publishEvent(new MfaEvent(MfaEvent.Kind.PASSKEY_ADDED, userId, "passkey", PasskeyView.of(passkey)));
			return true;
		}));
		if (!added) {
			throw new ApiException(ErrorCode.PASSKEY_ALREADY_REGISTERED,
					"This authenticator's credential is already registered.");
		}
		return PasskeyView.of(passkey);
	}

	public List<PasskeyView> list(String userId) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
		return findByUser(userId);
	}

	/**
	 * The user's passkeys, oldest first, without taking from the MFA rate limit: for a page that shows them beside
	 * the rest of the account, whose every view must not count as a management call.
	 */
	public List<PasskeyView> findByUser(String userId) {
		return passkeys.findByUser(userId).stream().map(PasskeyView::of).toList();
	}

	public PasskeyView rename(String userId, String id, String name, String sessionId, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
		if (!passkeys.rename(userId, id, name.trim())) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No passkey with this id belongs to you.");
		}
		return passkeys.findByUser(userId)
			.stream()
			.filter(p -> p.id().equals(id))
			.map(PasskeyView::of)
			.findFirst()
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No passkey with this id belongs to you."));
	}

	/** Deletes a passkey; with {@code PLINTO_MFA=required} the last factor cannot be removed. */
	public void delete(String userId, String id, String sessionId, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.MFA, userId);
		List<PasskeyRepository.Passkey> mine = passkeys.findByUser(userId);
		if (mine.stream().noneMatch(p -> p.id().equals(id))) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No passkey with this id belongs to you.");
		}
		boolean totp = factors.findTotp(userId).filter(MfaRepository.TotpFactor::confirmed).isPresent();
		if (live.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED && !totp && mine.size() == 1) {
			throw new ApiException(ErrorCode.MFA_LAST_FACTOR,
					"Two-step verification is required here: add another factor before removing this passkey.");
		}
		tx.executeWithoutResult(status -> {
			if (passkeys.delete(userId, id)) {
				if (!totp && passkeys.countByUser(userId) == 0) {
					factors.deleteRecoveryCodes(userId);
				}
				audit.record(AuditEvent.Type.PASSKEY_REMOVED, userId, sessionId, client, id);
				mine.stream()
					.filter(p -> p.id().equals(id))
					.findFirst()
					.ifPresent(p -> events.publishEvent(
							new MfaEvent(MfaEvent.Kind.PASSKEY_REMOVED, userId, "passkey", PasskeyView.of(p))));
			}
		});
	}

	/**
	 * Options for an assertion within a sign-in flow: for a second factor ({@code userId} given) they list the
	 * user's passkeys; for a passwordless sign-in ({@code userId} null) they list none, so the authenticator
	 * offers its discoverable credentials.
	 */
	public WebAuthnJson.RequestOptions authenticationOptions(String flowId, String userId) {
		String challenge = newChallenge(PasskeyRepository.Purpose.AUTHENTICATION, userId, flowId);
		List<WebAuthnJson.CredentialDescriptor> allow = userId == null ? List.of()
				: passkeys.findByUser(userId).stream().map(PasskeyService::descriptor).toList();
		return new WebAuthnJson.RequestOptions(challenge, CHALLENGE_LIFETIME.toMillis(),
				settings.mfa().webauthnRpId(), allow, userId == null ? "required" : "preferred");
	}

	/**
	 * Verifies an assertion: its challenge must be a live one issued for {@code flowId} (null: for any
	 * passwordless flow, whose id the returned challenge names), its credential registered
	 * (to the challenge's user, if it names one, and to the user handle, if sent). {@code beforeSignatureCheck}
	 * receives the user id once known (for the lockout check). Records the new counter and audits the use.
	 */
	public Assertion verifyAssertion(String credentialJson, String flowId, boolean userVerification,
			Consumer<String> beforeSignatureCheck, ClientInfo client) {
		AuthenticationData data;
		try {
			data = webAuthn.parseAuthenticationResponseJSON(credentialJson);
		}
		catch (RuntimeException e) {
			// DataConversionException, or Jackson / argument errors for input that is not a WebAuthn response
			throw malformed();
		}
		if (data.getCollectedClientData() == null || data.getCredentialId() == null
				|| data.getAuthenticatorData() == null) {
			throw malformed();
		}
		byte[] challenge = data.getCollectedClientData().getChallenge().getValue();
		PasskeyRepository.Challenge stored = take(challenge, PasskeyRepository.Purpose.AUTHENTICATION);
		boolean forThisFlow = flowId == null ? stored.userId() == null && stored.flowId() != null
				: flowId.equals(stored.flowId());
		if (!forThisFlow) {
			throw challengeInvalid();
		}
		PasskeyRepository.Passkey passkey = passkeys
			.findByCredentialId(Base64UrlUtil.encodeToString(data.getCredentialId()))
			.filter(p -> stored.userId() == null || p.userId().equals(stored.userId()))
			.filter(p -> data.getUserHandle() == null || data.getUserHandle().length == 0 || MessageDigest
				.isEqual(data.getUserHandle(), p.userId().getBytes(StandardCharsets.UTF_8)))
			.orElseThrow(() -> new ApiException(ErrorCode.PASSKEY_UNKNOWN,
					"This passkey is not registered for this account."));
		beforeSignatureCheck.accept(passkey.userId());
		CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null,
				passkey.signCount(), credentialData.convert(Base64UrlUtil.decode(passkey.attestedData())), null, null,
				null, null);
		try {
			webAuthn.verify(data, new AuthenticationParameters(server(challenge), record, null, userVerification,
					true));
		}
		catch (VerificationException e) {
			throw refusal(e);
		}
		catch (DataConversionException | IllegalArgumentException e) {
			throw malformed();
		}
		long count = data.getAuthenticatorData().getSignCount();
		if (!passkeys.recordUse(passkey.id(), passkey.signCount(), count, clock.instant())) {
			throw new ApiException(ErrorCode.PASSKEY_SIGN_COUNT_REGRESSED,
					"Another sign-in used this passkey with the same counter at the same moment.");
		}
		audit.record(AuditEvent.Type.PASSKEY_USED, passkey.userId(), null, client, passkey.id());
		return new Assertion(passkey, stored, data.getAuthenticatorData().isFlagBE() ? "swk" : "hwk");
	}

	/** Forgets challenges that expired more than an hour ago, every ten minutes on one node. */
	@Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
	@SchedulerLock(name = "webauthn-challenges-cleanup", lockAtMostFor = "5m")
	void purgeExpiredChallenges() {
		passkeys.deleteExpiredChallenges(clock.instant().minus(Duration.ofHours(1)));
	}

	private String newChallenge(PasskeyRepository.Purpose purpose, String userId, String flowId) {
		byte[] bytes = SecureTokens.randomBytes(32);
		Instant now = clock.instant();
		passkeys.insertChallenge(new PasskeyRepository.Challenge(challengeHash(bytes), purpose, userId, flowId, now,
				now.plus(CHALLENGE_LIFETIME)));
		return Base64UrlUtil.encodeToString(bytes);
	}

	private PasskeyRepository.Challenge take(byte[] challenge, PasskeyRepository.Purpose purpose) {
		if (challenge == null || challenge.length == 0) {
			throw challengeInvalid();
		}
		return passkeys.takeChallenge(challengeHash(challenge), purpose, clock.instant())
			.orElseThrow(PasskeyService::challengeInvalid);
	}

	private ServerProperty server(byte[] challenge) {
		return ServerProperty.builder()
			.origins(origins)
			.rpId(settings.mfa().webauthnRpId())
			.challenge(new DefaultChallenge(challenge))
			.build();
	}

	private User user(String userId) {
		return users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
	}

	private static String challengeHash(byte[] challenge) {
		return SecureTokens.hash("webauthn:" + Base64UrlUtil.encodeToString(challenge));
	}

	private static String userHandle(String userId) {
		return Base64UrlUtil.encodeToString(userId.getBytes(StandardCharsets.UTF_8));
	}

	private static WebAuthnJson.CredentialDescriptor descriptor(PasskeyRepository.Passkey p) {
		return new WebAuthnJson.CredentialDescriptor("public-key", p.credentialId(), p.transports());
	}

	private static ApiException challengeInvalid() {
		return new ApiException(ErrorCode.WEBAUTHN_CHALLENGE_INVALID,
				"The challenge is unknown, expired or was already used; request new options.");
	}

	private static ApiException malformed() {
		return new ApiException(ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
				"The credential is not a valid WebAuthn response in its JSON form.");
	}

	private static String reason(VerificationException e) {
		return e.getClass().getSimpleName().replace("Exception", "");
	}

	/** The problem for a failed verification: each kind of refusal has its own documented code (docs/api.md). */
	private static ApiException refusal(VerificationException e) {
		if (e instanceof BadOriginException) {
			return new ApiException(ErrorCode.WEBAUTHN_ORIGIN_MISMATCH,
					"The ceremony ran on an origin that is not allowed (PLINTO_WEBAUTHN_ORIGINS).");
		}
		if (e instanceof BadRpIdException) {
			return new ApiException(ErrorCode.WEBAUTHN_RP_ID_MISMATCH,
					"The credential is scoped to another relying party id than this server's.");
		}
		if (e instanceof BadChallengeException) {
			return challengeInvalid();
		}
		if (e instanceof MaliciousCounterValueException) {
			return new ApiException(ErrorCode.PASSKEY_SIGN_COUNT_REGRESSED,
					"The authenticator's signature counter did not increase; it may have been cloned.");
		}
		return new ApiException(ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
				"The passkey response did not verify (" + reason(e) + ").");
	}
}
