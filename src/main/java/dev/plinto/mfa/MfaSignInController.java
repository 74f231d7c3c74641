package dev.plinto.mfa;

import dev.plinto.session.SignInFlow;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-in and tokens")
final class MfaSignInController {

	private final MfaSignInService signIn;

	MfaSignInController(MfaSignInService signIn) {
		this.signIn = signIn;
	}

	record SecondFactorRequest(@NotBlank @Size(max = 128) String mfaToken,
			@NotNull @Pattern(regexp = "totp|recovery_code|passkey") String factor,
			@Schema(description = "The TOTP or recovery code (factor totp or recovery_code)") @Size(max = 32)
			String code,
			@Schema(implementation = WebAuthnJson.Credential.class,
					description = "The assertion's toJSON() (factor passkey)") Map<String, Object> credential) {
	}

	record PasskeyOptionsRequest(
			@Schema(description = "The mfa_token, when the passkey is the second factor; omit for a passwordless "
					+ "sign-in") @Size(max = 128) String mfaToken) {
	}

	record PasskeySignInRequest(
			@NotNull @Schema(implementation = WebAuthnJson.Credential.class) Map<String, Object> credential) {
	}

	@PostMapping(path = "/v1/sign-in/mfa", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Complete a sign-in with a second factor",
			description = "After POST /v1/sign-in answered mfa_required: send the mfa_token with a TOTP code, a "
					+ "recovery code or a passkey assertion. Returns the token response; amr lists the methods used.")
	@ApiDocs.Errors({ "validation_failed", "invalid_mfa_token", "invalid_mfa_code", "mfa_factor_not_available",
			"webauthn_challenge_invalid", "webauthn_origin_mismatch", "webauthn_rp_id_mismatch",
			"webauthn_verification_failed", "passkey_unknown", "passkey_sign_count_regressed", "rate_limited" })
	ResponseEntity<TokenResponse> secondFactor(@Valid @RequestBody SecondFactorRequest body,
			ClientInfo client) {
		TokenResponse tokens = signIn.completeSecondFactor(body.mfaToken(), body.factor(), body.code(),
				body.credential() == null ? null : PasskeyController.WEBAUTHN_JSON.writeValueAsString(body.credential()),
				client);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
	}

	@PostMapping(path = "/v1/sign-in/passkey/options", produces = "application/json")
	@Operation(summary = "Options for a passkey assertion",
			description = "PublicKeyCredentialRequestOptionsJSON with a single-use challenge valid for 5 minutes. "
					+ "Without mfa_token: a passwordless sign-in with a discoverable passkey (no email needed); "
					+ "with it: the second-factor step, listing the user's passkeys. Pass it to "
					+ "navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)}).")
	@ApiDocs.Errors({ "validation_failed", "invalid_mfa_token", "mfa_factor_not_available", "rate_limited" })
	ResponseEntity<WebAuthnJson.RequestOptions> passkeyOptions(
			@Valid @RequestBody(required = false) PasskeyOptionsRequest body, ClientInfo client) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore())
			.body(signIn.passkeyOptions(body == null ? null : body.mfaToken(), SignInFlow.Type.API, client));
	}

	@PostMapping(path = "/v1/sign-in/passkey", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Sign in with a passkey, without a password",
			description = "Send the assertion's toJSON() for options from POST /v1/sign-in/passkey/options. Returns "
					+ "the token response with amr [\"hwk\"] ([\"swk\"] for a synced passkey).")
	@ApiDocs.Errors({ "validation_failed", "webauthn_challenge_invalid", "webauthn_origin_mismatch",
			"webauthn_rp_id_mismatch", "webauthn_verification_failed", "passkey_unknown",
			"passkey_sign_count_regressed", "rate_limited" })
	ResponseEntity<TokenResponse> passkey(@Valid @RequestBody PasskeySignInRequest body, ClientInfo client) {
		TokenResponse tokens = signIn.signInWithPasskey(
				PasskeyController.WEBAUTHN_JSON.writeValueAsString(body.credential()), SignInFlow.Type.API, client);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
	}
}
