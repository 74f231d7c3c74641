package dev.plinto.admin;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Secret API keys of the Backend API: created, listed, rotated and revoked by the command line
 * ({@code plinto api-keys …}) and the admin dashboard, and checked on every request to {@code /v1/admin/…}.
 * <ul>
 * <li><b>The key</b> is {@code sk_live_} followed by 256 random bits in base64url ({@link SecureTokens#newSecret()},
 * a {@link java.security.SecureRandom}): far beyond guessing, so a single SHA-256 is the right way to store it
 * (OWASP Secrets Management Cheat Sheet, "Secrets at rest"; a slow password hash is needed only for low-entropy
 * secrets). It is shown once, in the answer that creates or rotates it, and never logged; lists show its first
 * {@link #PREFIX_LENGTH} characters. The {@code sk_live_} prefix lets secret scanners and people recognise a leaked
 * key (OWASP Secrets Management Cheat Sheet, "Detection").</li>
 * <li><b>Checking a key</b> hashes the presented text and looks the hash up in the database on every request: no
 * comparison of secret bytes happens in Java, so its timing tells nothing about the key (the lookup compares
 * hashes of a 256-bit secret), and since nothing is cached, a revoked, rotated or expired key is refused on every
 * node from the next request on (OWASP API Security Top 10 2023, API2 "Broken Authentication"). The key travels as
 * a bearer token (RFC 6750 §2.1).</li>
 * <li><b>Last use</b> is written at most once a minute per key (a conditional UPDATE), so a busy key does not turn
 * every request into a write.</li>
 * <li><b>Every change</b> (created, rotated, revoked) is audited; a rotation replaces the secret in place: the old
 * key stops at once, the id, name and scopes stay.</li>
 * </ul>
 */
@Service
public final class ApiKeys {

	/** The text every key starts with. */
	public static final String KEY_PREFIX = "sk_live_";

	/** How many characters of a key lists show: the prefix and four of the secret. */
	public static final int PREFIX_LENGTH = KEY_PREFIX.length() + 4;

	/** The longest name of a key. */
	public static final int MAX_NAME = 200;

	/** How often at most {@code last_used_at} is written per key. */
	static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

	private final ApiKeyRepository keys;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	ApiKeys(ApiKeyRepository keys, AuditLog audit, TransactionOperations tx, Clock clock) {
		this.keys = keys;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	/** A key with its secret, in the one answer that shows it. */
	public record WithSecret(ApiKey key, String secret) {
	}

	/**
	 * Creates a key.
	 *
	 * @param scopes at least one scope, by its name ({@code users:read})
	 * @param expiresIn how long the key lives, or null for a key without expiry
	 * @param createdBy who created it, for lists: {@code cli}, or the dashboard's user id, or the creating key's id
	 */
	public WithSecret create(String name, List<String> scopes, Duration expiresIn, String createdBy,
			ClientInfo client) {
		if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
			throw ApiException.validation("name", ErrorCode.VALIDATION_FAILED,
					"name must be 1–" + MAX_NAME + " characters without control characters.");
		}
		List<String> parsed = parseScopes(scopes);
		if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
			throw ApiException.validation("expires_in", ErrorCode.VALIDATION_FAILED, "expires_in must be positive.");
		}
		Instant now = clock.instant();
		String secret = newSecret();
		ApiKey key = new ApiKey(SecureTokens.newId("key"), name.trim(), prefixOf(secret), parsed, now, createdBy, null,
				expiresIn == null ? null : now.plus(expiresIn), null);
		tx.executeWithoutResult(status -> {
			keys.insert(key, SecureTokens.hash(secret));
			audit.record(AuditEvent.Type.API_KEY_CREATED, null, null, client,
					key.id() + " " + key.name() + " [" + String.join(" ", parsed) + "]");
		});
		return new WithSecret(key, secret);
	}

	/** Every key, newest first, without secrets. */
	public List<ApiKey> list() {
		return keys.findAll();
	}

	public ApiKey get(String id) {
		return keys.findById(id).orElseThrow(ApiKeys::notFound);
	}

	/** A new secret for the key; the old one stops at once. 404 for an unknown or revoked key. */
	public WithSecret rotate(String id, ClientInfo client) {
		String secret = newSecret();
		return tx.execute(status -> {
			if (!keys.replaceSecret(id, SecureTokens.hash(secret), prefixOf(secret))) {
				throw notFound();
			}
			audit.record(AuditEvent.Type.API_KEY_ROTATED, null, null, client, id);
			return new WithSecret(get(id), secret);
		});
	}

	/** Revokes the key: refused from the next request on, on every node. 404 for an unknown or revoked key. */
	public ApiKey revoke(String id, ClientInfo client) {
		return tx.execute(status -> {
			if (!keys.revoke(id, clock.instant())) {
				throw notFound();
			}
			audit.record(AuditEvent.Type.API_KEY_REVOKED, null, null, client, id);
			return get(id);
		});
	}

	/**
	 * The live key with this text, if any: not revoked, not expired. Records its use (at most once a minute).
	 * Anything that does not look like a key (a session's access token, say) is never looked up.
	 */
	public Optional<ApiKey> authenticate(String presented) {
		if (presented == null || !presented.startsWith(KEY_PREFIX) || presented.length() > 200) {
			return Optional.empty();
		}
		Instant now = clock.instant();
		Optional<ApiKey> key = keys.findByHash(SecureTokens.hash(presented)).filter(k -> k.live(now));
		key.filter(k -> k.lastUsedAt() == null || k.lastUsedAt().isBefore(now.minus(TOUCH_GRANULARITY)))
			.ifPresent(k -> keys.touch(k.id(), now, now.minus(TOUCH_GRANULARITY)));
		return key;
	}

	private static List<String> parseScopes(List<String> scopes) {
		if (scopes == null || scopes.isEmpty()) {
			throw ApiException.validation("scopes", ErrorCode.VALIDATION_FAILED,
					"Give the key at least one scope, e.g. users:read.");
		}
		Set<String> parsed = new LinkedHashSet<>();
		List<ApiException.FieldError> errors = new ArrayList<>();
		for (String scope : scopes) {
			Optional<ApiKeyScope> known = ApiKeyScope.of(scope);
			if (known.isEmpty()) {
				errors.add(new ApiException.FieldError("scopes", ErrorCode.VALIDATION_FAILED.code(),
						"Unknown scope '" + (scope == null ? "" : scope.strip()) + "'; known: " + known()));
			}
			else {
				parsed.add(known.get().wireName());
			}
		}
		if (!errors.isEmpty()) {
			throw new ApiException(ErrorCode.VALIDATION_FAILED, errors.get(0).message(), errors, null);
		}
		return List.copyOf(parsed);
	}

	private static String known() {
		return String.join(", ", java.util.Arrays.stream(ApiKeyScope.values()).map(ApiKeyScope::wireName).toList());
	}

	private static String newSecret() {
		return KEY_PREFIX + SecureTokens.newSecret();
	}

	private static String prefixOf(String secret) {
		return secret.substring(0, PREFIX_LENGTH);
	}

	private static ApiException notFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "No API key with this id exists, or it was revoked.");
	}
}
