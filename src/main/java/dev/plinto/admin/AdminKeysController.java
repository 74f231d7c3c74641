package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.token.SigningKey;
import dev.plinto.token.SigningKeys;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's signing keys ({@code /v1/admin/keys…}): the list with each key's state, a scheduled or
 * immediate rotation and the withdrawal of a key, all through {@link SigningKeys} as {@code plinto keys} and the
 * dashboard's keys page do, which audits each change ({@code key.rotated}, {@code key.withdrawn}), here with the API
 * key's id as the actor. Only public facts leave: never a key's private part (OWASP Key Management Cheat Sheet,
 * "Key Storage"). Scopes {@code keys:read} and {@code keys:write}, declared in
 * {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: signing keys")
@SecurityRequirement(name = "apiKey")
final class AdminKeysController {

	private final SigningKeys keys;

	AdminKeysController(SigningKeys keys) {
		this.keys = keys;
	}

	/** A signing key as the Backend API shows it: what relying parties see in the JWKS, and when it signs. */
	record KeyView(@Schema(example = "key_7c0x2m9q4d1z8k3v") String kid,
			@Schema(example = "RS256", allowableValues = { "RS256", "ES256", "EdDSA" }) String algorithm,
			Instant createdAt, @Schema(description = "When the key signs (signed) new tokens from") Instant signsFrom,
			@Schema(allowableValues = { "signing", "next", "retiring", "retired" }) String state) {
	}

	record KeyList(@Schema(description = "Every key, newest first") List<KeyView> data) {
	}

	record RotateRequest(@Schema(description = "Sign with the new key at once (for a compromised key) instead of after "
			+ "PLINTO_KEY_ACTIVATION_DELAY; default false") Boolean immediate) {
	}

	record Withdrawal(@Schema(description = "The withdrawn key, now `retired`: deleted, no longer published") KeyView withdrawn,
			@Schema(description = "The key that replaced the withdrawn one and signs from now, when the withdrawn key "
					+ "was signing", nullable = true) KeyView replacement) {
	}

	@GetMapping(path = "/v1/admin/keys", produces = "application/json")
	@Operation(summary = "The signing keys, newest first", description = "Scope `keys:read`. Each key's `kid`, "
			+ "algorithm, creation, the time it signs from and its state: `signing` (signs new tokens now), `next` "
			+ "(published, signs from `signs_from`), `retiring` (superseded, published until the tokens it signed "
			+ "have expired) or `retired` (no longer published). Never private key material.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited" })
	KeyList list(AdminCaller caller) {
		keys.reload();
		List<SigningKey> newestFirst = new ArrayList<>(keys.all());
		Collections.reverse(newestFirst);
		return new KeyList(newestFirst.stream().map(this::view).toList());
	}

	@PostMapping(path = "/v1/admin/keys/rotate", produces = "application/json")
	@Operation(summary = "Create the next signing key", description = "Scope `keys:write`. The new key is "
			+ "published in the JWKS at once and signs after `PLINTO_KEY_ACTIVATION_DELAY`; with `{\"immediate\": "
			+ "true}` it signs at once (relying parties with a cached JWKS refuse new tokens until they refetch it). "
			+ "The body is optional. Audited as `key.rotated` with the key as `actor_id`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<KeyView> rotate(AdminCaller caller, @Valid @RequestBody(required = false) RotateRequest body) {
		boolean immediate = body != null && Boolean.TRUE.equals(body.immediate());
		SigningKey key = AuditLog.actingAs(caller.keyId(), () -> keys.rotate(immediate));
		return ResponseEntity.created(URI.create("/v1/admin/keys")).body(view(key));
	}

	@PostMapping(path = "/v1/admin/keys/{kid}/withdraw", produces = "application/json")
	@Operation(summary = "Withdraw a signing key at once", description = "Scope `keys:write`. For a key whose "
			+ "private part may be compromised: it leaves the JWKS and tokens it signed are refused (other nodes "
			+ "within 30 seconds). When it is the key that signs now, a new key replaces it first and signs at once. "
			+ "Audited as `key.withdrawn` (and `key.rotated` for a replacement) with the key as `actor_id`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	Withdrawal withdraw(AdminCaller caller, @PathVariable String kid) {
		SigningKeys.Withdrawal done;
		try {
			done = AuditLog.actingAs(caller.keyId(), () -> keys.withdraw(kid));
		}
		catch (IllegalArgumentException e) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No signing key with this kid exists; GET /v1/admin/keys "
					+ "lists them.");
		}
		return new Withdrawal(new KeyView(done.withdrawn().kid(), done.withdrawn().algorithm().getName(),
				done.withdrawn().createdAt(), done.withdrawn().activatesAt(), SigningKeys.State.RETIRED.wireName()),
				done.replacement() == null ? null : view(done.replacement()));
	}

	private KeyView view(SigningKey k) {
		return new KeyView(k.kid(), k.algorithm().getName(), k.createdAt(), k.activatesAt(), keys.state(k).wireName());
	}
}
