package dev.plinto.mfa;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Passkeys")
@SecurityRequirement(name = "bearer")
final class PasskeyController {

	/** Re-serialises the browser's credential JSON as it came: camelCase WebAuthn names, not snake_case. */
	static final JsonMapper WEBAUTHN_JSON = JsonMapper.builder().build();

	private final PasskeyService passkeys;

	PasskeyController(PasskeyService passkeys) {
		this.passkeys = passkeys;
	}

	record RegisterRequest(
			@NotNull @Schema(implementation = WebAuthnJson.Credential.class) Map<String, Object> credential,
			@Size(max = 100) String name) {
	}

	record RenameRequest(@NotBlank @Size(max = 100) String name) {
	}

	record PasskeyList(List<PasskeyService.PasskeyView> data) {
	}

	@PostMapping(path = "/v1/me/passkeys/options", produces = "application/json")
	@Operation(summary = "Options to register a passkey",
			description = "PublicKeyCredentialCreationOptionsJSON with a single-use challenge valid for 5 minutes; "
					+ "pass it to navigator.credentials.create({publicKey: "
					+ "PublicKeyCredential.parseCreationOptionsFromJSON(options)}). Needs a recent sign-in "
					+ "(PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "rate_limited" })
	ResponseEntity<WebAuthnJson.CreationOptions> options(Caller caller) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore())
			.body(passkeys.registrationOptions(caller.userId()));
	}

	@PostMapping(path = "/v1/me/passkeys", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Register a passkey",
			description = "Send the new credential's toJSON() as credential, and an optional name. Needs a recent "
					+ "sign-in (PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "validation_failed",
			"webauthn_challenge_invalid",
			"webauthn_origin_mismatch", "webauthn_rp_id_mismatch", "webauthn_verification_failed",
			"passkey_already_registered", "rate_limited" })
	@ApiDocs.Status(value = 201, description = "Registered")
	ResponseEntity<PasskeyService.PasskeyView> register(Caller caller, @Valid @RequestBody RegisterRequest body) {
		PasskeyService.PasskeyView view = passkeys.register(caller.userId(),
				WEBAUTHN_JSON.writeValueAsString(body.credential()), body.name(), caller.sessionId(), caller.client());
		return ResponseEntity.status(HttpStatus.CREATED).body(view);
	}

	@GetMapping(path = "/v1/me/passkeys", produces = "application/json")
	@Operation(summary = "List the caller's passkeys", description = "Oldest first.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "rate_limited" })
	PasskeyList list(Caller caller) {
		return new PasskeyList(passkeys.list(caller.userId()));
	}

	@PatchMapping(path = "/v1/me/passkeys/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Rename a passkey")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "not_found", "rate_limited" })
	PasskeyService.PasskeyView rename(Caller caller, @PathVariable String id,
			@Valid @RequestBody RenameRequest body) {
		return passkeys.rename(caller.userId(), id, body.name(), caller.sessionId(), caller.client());
	}

	@DeleteMapping("/v1/me/passkeys/{id}")
	@Operation(summary = "Delete a passkey",
			description = "Recovery codes are deleted too when no other factor remains. Needs a recent sign-in "
					+ "(PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "not_found",
			"mfa_last_factor", "rate_limited" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
		passkeys.delete(caller.userId(), id, caller.sessionId(), caller.client());
		return ResponseEntity.noContent().build();
	}
}
