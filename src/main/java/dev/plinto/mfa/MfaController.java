package dev.plinto.mfa;

import dev.plinto.account.PasswordPolicy;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Multi-factor authentication")
@SecurityRequirement(name = "bearer")
final class MfaController {

	private final MfaService mfa;

	MfaController(MfaService mfa) {
		this.mfa = mfa;
	}

	record TotpEnrollmentResponse(@Schema(description = "The secret in base32, for typing into the app") String secret,
			@Schema(description = "otpauth://totp/… URI with issuer and account") String otpauthUri,
			@Schema(description = "The URI as a QR code: data:image/svg+xml;base64,…") String qrCode,
			String algorithm, int digits, long period) {
	}

	record ConfirmTotpRequest(@Schema(example = "492039") @NotBlank @Size(max = 16) String code) {
	}

	record RecoveryCodesResponse(@Schema(description = "Ten single-use codes, shown only now") List<String> recoveryCodes) {
	}

	record RemoveTotpRequest(
			@Schema(description = "The account password; or send code instead", maxLength = PasswordPolicy.MAX_LENGTH,
					example = "violet kettle harbour 42") @Size(max = 1024) String password,
			@Schema(description = "A current TOTP code or an unused recovery code; or send password instead")
			@Size(max = 32) String code) {
	}

	record StatusResponse(boolean totpEnabled, boolean totpPending, int recoveryCodesRemaining, int passkeys,
			@Schema(description = "Factors the user can sign in with: totp, recovery_code, passkey")
			List<String> factors) {
	}

	@GetMapping(path = "/v1/me/mfa", produces = "application/json")
	@Operation(summary = "The caller's second factors",
			description = "Whether TOTP is active or pending, how many recovery codes remain, how many passkeys.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "rate_limited" })
	StatusResponse status(Caller caller) {
		MfaService.Status s = mfa.status(caller.userId());
		return new StatusResponse(s.totpEnabled(), s.totpPending(), s.recoveryCodesRemaining(), s.passkeys(),
				s.factors());
	}

	@PostMapping(path = "/v1/me/mfa/totp", produces = "application/json")
	@Operation(summary = "Start TOTP enrolment", description = "Returns a new secret, its otpauth:// URI and QR code. "
			+ "The authenticator is active only after POST /v1/me/mfa/totp/confirm; starting again replaces a pending "
			+ "secret. Needs a recent sign-in (PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "totp_already_enabled",
			"rate_limited" })
	@ApiDocs.Status(value = 201, description = "Enrolment started; confirm it with a code")
	ResponseEntity<TotpEnrollmentResponse> startTotp(Caller caller) {
		MfaService.TotpEnrollment e = mfa.startTotp(caller.userId());
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(new TotpEnrollmentResponse(e.secret(), e.otpauthUri(), e.qrCode(), "SHA1", Totp.DIGITS,
					Totp.STEP_SECONDS));
	}

	@PostMapping(path = "/v1/me/mfa/totp/confirm", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Confirm TOTP enrolment with a code",
			description = "Activates the authenticator and returns ten recovery codes, shown once.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "wrong_mfa_code",
			"totp_not_enabled", "totp_already_enabled", "rate_limited" })
	ResponseEntity<RecoveryCodesResponse> confirmTotp(Caller caller, @Valid @RequestBody ConfirmTotpRequest body) {
		List<String> codes = mfa.confirmTotp(caller.userId(), body.code(), caller.sessionId(), caller.client());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new RecoveryCodesResponse(codes));
	}

	// No "consumes": a DELETE sent without a body reaches the body reader, whose 400 names the fields it needs.
	@DeleteMapping(path = "/v1/me/mfa/totp")
	@Operation(summary = "Remove the authenticator",
			description = "Requires a fresh proof: the password, or a current TOTP code or an unused recovery code. "
					+ "Recovery codes are deleted too when no passkey remains.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "malformed_request", "wrong_password",
			"wrong_mfa_code", "totp_not_enabled", "mfa_last_factor", "rate_limited" })
	@ApiDocs.Status(value = 204, description = "Removed")
	ResponseEntity<Void> removeTotp(Caller caller, @Valid @RequestBody RemoveTotpRequest body) {
		if ((body.password() == null) == (body.code() == null)) {
			throw ApiException.validation(body.password() == null ? "password" : "code", ErrorCode.VALIDATION_FAILED,
					"Send exactly one of password and code.");
		}
		mfa.removeTotp(caller.userId(), body.password(), body.code(), caller.sessionId(), caller.client());
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/me/mfa/recovery-codes", produces = "application/json")
	@Operation(summary = "Regenerate recovery codes",
			description = "Returns ten new codes, shown once; the previous codes stop working. Needs a recent "
					+ "sign-in (PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "mfa_factor_not_available",
			"rate_limited" })
	ResponseEntity<RecoveryCodesResponse> regenerate(Caller caller) {
		List<String> codes = mfa.regenerateRecoveryCodes(caller.userId(), caller.sessionId(), caller.client());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new RecoveryCodesResponse(codes));
	}
}
