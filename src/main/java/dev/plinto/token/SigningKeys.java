package dev.plinto.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.NativeCrypto;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The signing keys every node shares, kept in the database and cached here.
 * <p>
 * Rotation follows RFC 7517 §5 / OpenID Connect Core §10.1.1: a new key is published in the JWKS when it is
 * created and only signs after {@code PLINTO_KEY_ACTIVATION_DELAY}, so that relying parties that cache the JWKS
 * have it before the first token signed with it; a superseded key stays published until every token it signed
 * has expired (access-token lifetime plus one minute of clock skew), then it is withdrawn and later deleted.
 * Each key carries its {@code alg} so a token whose header names another algorithm is refused (RFC 8725 §3.1).
 */
public final class SigningKeys {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	static final Duration SKEW = Duration.ofMinutes(1);

	private static final long RELOAD_ON_MISS_MILLIS = 5_000;

	private final SigningKeyRepository repository;

	private final Clock clock;

	private final PlintoSettings settings;

	private final AuditLog audit;

	private volatile List<SigningKey> keys = List.of();

	private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();

	private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();

	private final AtomicLong lastMissReload = new AtomicLong();

	private final ApplicationEventPublisher events;

	private final TransactionOperations tx;

	private final NativeCrypto crypto;

	public SigningKeys(SigningKeyRepository repository, Clock clock, PlintoSettings settings, AuditLog audit,
			ApplicationEventPublisher events, TransactionOperations tx, NativeCrypto crypto) {
		this.events = events;
		this.tx = tx;
		this.crypto = crypto;
		this.repository = repository;
		this.clock = clock;
		this.settings = settings;
		this.audit = audit;
	}

	/** Loads the keys; on the very first start generates the first key, active at once. */
	public void initialize() {
		reload();
		if (keys.isEmpty()) {
			create(settings.signingAlgorithm(), clock.instant(), "first key");
			reload();
		}
		else if (!keys.get(keys.size() - 1).algorithm().equals(algorithm(settings.signingAlgorithm()))) {
			log.info("PLINTO_SIGNING_ALG is {} but the newest key uses {}: rotating to a {} key",
					settings.signingAlgorithm(), keys.get(keys.size() - 1).algorithm(), settings.signingAlgorithm());
			rotate(false);
		}
	}

	/** Re-reads the keys from the database (other nodes may have rotated). */
	public void reload() {
		keys = List.copyOf(repository.findAll());
	}

	/**
	 * Creates the next key with the configured algorithm. Unless {@code immediate}, it activates after the
	 * activation delay; {@code immediate} is for a compromised key and breaks relying parties with a cached JWKS
	 * until they refetch it.
	 */
	public SigningKey rotate(boolean immediate) {
		Instant now = clock.instant();
		Instant activation = immediate ? now : now.plus(settings.keyActivationDelay());
		// The key, its audit event and the key.rotated webhook event (written by the listener) commit together or
		// not at all: a webhook never announces a key that does not exist (transactional outbox).
		SigningKey key = tx.execute(status -> {
			SigningKey created = create(settings.signingAlgorithm(), activation,
					immediate ? "immediate rotation" : "rotation");
			events.publishEvent(
					new KeyRotated(created.kid(), created.algorithm().getName(), created.activatesAt(), immediate));
			return created;
		});
		reload();
		return key;
	}

	/** What {@link #withdraw} did: the key it removed, and the key that replaced it when that one was signing. */
	public record Withdrawal(SigningKey withdrawn, SigningKey replacement) {
	}

	/**
	 * Withdraws a key at once, for a key whose private part may be compromised: it is deleted, so it leaves the
	 * JWKS and this server stops accepting tokens signed with it (other nodes when they next reload the keys, within
	 * 30 seconds; until then they still use it). When it is the key that signs now, a new key that signs
	 * at once is created first, so signing never stops. Access tokens it signed stop working everywhere the JWKS is
	 * refetched; sessions are not touched and refresh with the new key.
	 * <p>
	 * Removing a key from the JWK Set is how relying parties learn not to trust it any more (RFC 7517 §5, OpenID
	 * Connect Core §10.1.1); replacing a compromised key at once, instead of waiting for its scheduled retirement,
	 * follows the OWASP Key Management Cheat Sheet ("Compromise" / key revocation).
	 *
	 * @throws IllegalArgumentException when there is no key with this kid
	 */
	public Withdrawal withdraw(String kid) {
		reload();
		SigningKey key = keys.stream()
			.filter(k -> k.kid().equals(kid))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("There is no signing key " + kid
					+ "; `plinto keys list` shows the kids."));
		SigningKey replacement = key.kid().equals(active().kid()) ? rotate(true) : null;
		repository.delete(kid);
		signers.remove(kid);
		verifiers.remove(kid);
		reload();
		audit.record(AuditEvent.Type.KEY_WITHDRAWN, null, null, ClientInfo.none(), "withdrawn: " + kid
				+ (replacement == null ? "" : "; replaced by " + replacement.kid() + ", which signs from now"));
		log.warn("Signing key {} withdrawn: no longer published, tokens it signed are refused{}", kid,
				replacement == null ? "" : "; " + replacement.kid() + " signs from now");
		return new Withdrawal(key, replacement);
	}

	/** Rotates when the newest key is older than {@code PLINTO_KEY_ROTATION_INTERVAL}; returns whether it did. */
	public boolean rotateIfDue() {
		reload();
		Instant now = clock.instant();
		boolean due = keys.isEmpty()
				|| !keys.get(keys.size() - 1).createdAt().plus(settings.keyRotationInterval()).isAfter(now);
		if (due) {
			rotate(false);
		}
		return due;
	}

	/** Deletes keys that are no longer published and were superseded over a day ago. */
	public int purgeRetired() {
		List<String> keep = published().stream().map(SigningKey::kid).toList();
		int deleted = repository.deleteExcept(keep, clock.instant().minus(settings.accessTokenTtl())
			.minus(Duration.ofDays(1)));
		if (deleted > 0) {
			reload();
		}
		return deleted;
	}

	private SigningKey create(PlintoSettings.SigningAlgorithm alg, Instant activatesAt, String reason) {
		Instant now = clock.instant();
		String kid = SecureTokens.newId("key");
		JWK jwk = generate(alg, kid);
		SigningKey key = new SigningKey(kid, algorithm(alg), jwk, now, activatesAt);
		repository.insert(key);
		audit.record(AuditEvent.Type.KEY_ROTATED, null, null, ClientInfo.none(),
				reason + ": " + kid + " (" + alg + ") signs from " + activatesAt);
		log.info("Signing key {} ({}) created; signs from {}", kid, alg, activatesAt);
		return key;
	}

	/** The key that signs now: the one with the latest activation time not in the future. */
	public SigningKey active() {
		Instant now = clock.instant();
		SigningKey active = null;
		for (SigningKey k : keys) {
			if (!k.activatesAt().isAfter(now)) {
				active = k;
			}
		}
		if (active == null) {
			throw new IllegalStateException("no active signing key");
		}
		return active;
	}

	/**
	 * Keys in the JWKS: upcoming keys, the active key, and superseded keys whose tokens may still be valid.
	 */
	public List<SigningKey> published() {
		Instant now = clock.instant();
		List<SigningKey> current = keys;
		List<SigningKey> out = new ArrayList<>();
		for (int i = 0; i < current.size(); i++) {
			SigningKey k = current.get(i);
			Instant supersededAt = null;
			for (int j = i + 1; j < current.size(); j++) {
				if (!current.get(j).activatesAt().isAfter(now)) {
					supersededAt = current.get(j).activatesAt();
					break;
				}
			}
			if (supersededAt == null || supersededAt.plus(settings.accessTokenTtl()).plus(SKEW).isAfter(now)) {
				out.add(k);
			}
		}
		return out;
	}

	public List<SigningKey> all() {
		return keys;
	}

	/**
	 * Where a key is in its life (RFC 7517 §5 rotation with overlap): {@code signing} signs new tokens now;
	 * {@code next} is published and signs after its activation time; {@code retiring} was superseded but stays
	 * published until every token it signed has expired; {@code retired} is no longer published and is deleted a day
	 * later. The same states on the dashboard's keys page and in the Backend API.
	 */
	public enum State {
		SIGNING("signing"), NEXT("next"), RETIRING("retiring"), RETIRED("retired");

		private final String wireName;

		State(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return wireName;
		}
	}

	/** The state of one of {@link #all()}'s keys now. */
	public State state(SigningKey key) {
		if (key.kid().equals(active().kid())) {
			return State.SIGNING;
		}
		if (key.activatesAt().isAfter(clock.instant())) {
			return State.NEXT;
		}
		return published().stream().anyMatch(k -> k.kid().equals(key.kid())) ? State.RETIRING : State.RETIRED;
	}

	public JWKSet jwks() {
		return new JWKSet(published().stream().map(SigningKey::publicJwk).toList());
	}

	/**
	 * The published public keys as a Nimbus key source, for verifiers of other token shapes than
	 * {@link AccessTokens} (the OpenID provider's access tokens): it reads the keys as they are at each call, so
	 * rotation and withdrawal apply at once.
	 */
	public com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> publicKeys() {
		return (selector, context) -> selector.select(jwks());
	}

	/**
	 * The signer of a key, made once per key: RS256 and ES256 with the provider {@link NativeCrypto} chose (ACCP or
	 * the JDK's), EdDSA with Nimbus's own Ed25519.
	 */
	JWSSigner signer(SigningKey key) {
		return signers.computeIfAbsent(key.kid(), kid -> {
			try {
				JWK jwk = key.jwk();
				Optional<Provider> provider = crypto.provider();
				if (jwk instanceof RSAKey rsa) {
					if (provider.isEmpty()) {
						return new RSASSASigner(rsa);
					}
					RSASSASigner signer = new RSASSASigner(crypto.translate(rsa.toRSAPrivateKey(), RSAPrivateKey.class));
					signer.getJCAContext().setProvider(provider.get());
					return signer;
				}
				if (jwk instanceof ECKey ec) {
					if (provider.isEmpty()) {
						return new ECDSASigner(ec);
					}
					ECDSASigner signer = new ECDSASigner(crypto.translate(ec.toECPrivateKey(), ECPrivateKey.class));
					signer.getJCAContext().setProvider(provider.get());
					return signer;
				}
				return new Ed25519Signer((OctetKeyPair) jwk);
			}
			catch (JOSEException e) {
				throw new IllegalStateException("cannot sign with key " + kid, e);
			}
		});
	}

	/**
	 * The verifier for a published key with this kid, or null. An unknown kid triggers at most one reload every
	 * five seconds, so a key created by another node is found without letting garbage kids hammer the database.
	 */
	JWSVerifier verifier(String kid, JWSAlgorithm headerAlg) {
		SigningKey key = findPublished(kid);
		if (key == null) {
			long now = System.nanoTime() / 1_000_000;
			long last = lastMissReload.get();
			if (now - last > RELOAD_ON_MISS_MILLIS && lastMissReload.compareAndSet(last, now)) {
				reload();
				key = findPublished(kid);
			}
		}
		if (key == null || !key.algorithm().equals(headerAlg)) {
			return null;
		}
		SigningKey k = key;
		return verifiers.computeIfAbsent(kid, id -> {
			try {
				JWK pub = k.publicJwk();
				Optional<Provider> provider = crypto.provider();
				if (pub instanceof RSAKey rsa) {
					if (provider.isEmpty()) {
						return new RSASSAVerifier(rsa);
					}
					RSASSAVerifier verifier = new RSASSAVerifier(
							crypto.translate(rsa.toRSAPublicKey(), RSAPublicKey.class));
					verifier.getJCAContext().setProvider(provider.get());
					return verifier;
				}
				if (pub instanceof ECKey ec) {
					if (provider.isEmpty()) {
						return new ECDSAVerifier(ec);
					}
					ECDSAVerifier verifier = new ECDSAVerifier(crypto.translate(ec.toECPublicKey(), ECPublicKey.class));
					verifier.getJCAContext().setProvider(provider.get());
					return verifier;
				}
				return new Ed25519Verifier((OctetKeyPair) pub);
			}
			catch (JOSEException e) {
				throw new IllegalStateException("cannot verify with key " + id, e);
			}
		});
	}

	private SigningKey findPublished(String kid) {
		for (SigningKey k : published()) {
			if (k.kid().equals(kid)) {
				return k;
			}
		}
		return null;
	}

	static JWSAlgorithm algorithm(PlintoSettings.SigningAlgorithm alg) {
		return switch (alg) {
			case RS256 -> JWSAlgorithm.RS256;
			case ES256 -> JWSAlgorithm.ES256;
			case EdDSA -> JWSAlgorithm.EdDSA;
		};
	}

	/** RSA 2048 (NIST SP 800-57 Part 1 Table 2: 112-bit strength, acceptable through 2030), P-256 or Ed25519. */
	static JWK generate(PlintoSettings.SigningAlgorithm alg, String kid) {
		try {
			return switch (alg) {
				case RS256 -> new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256)
					.keyUse(KeyUse.SIGNATURE).generate();
				case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256)
					.keyUse(KeyUse.SIGNATURE).generate();
				case EdDSA -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).algorithm(JWSAlgorithm.EdDSA)
					.keyUse(KeyUse.SIGNATURE).generate();
			};
		}
		catch (JOSEException e) {
			throw new IllegalStateException("cannot generate a " + alg + " key", e);
		}
	}
}
