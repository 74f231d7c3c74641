package dev.plinto.session;

import dev.plinto.account.EmailAddress;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.account.UserView;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-in and tokens")
final class SignInController {

	private final SignInService signIn;

	SignInController(SignInService signIn) {
		this.signIn = signIn;
	}

	/** Passwords are bounded at 1024 characters here only against abuse; the policy's 8–128 is what is documented. */
	record SignUpRequest(@Schema(example = "ada@example.com", format = "idn-email", description = "Email address (docs/security.md, section Email addresses): surrounding white space is removed; the domain may be Unicode (stored in its IDNA ASCII form)") @NotBlank @EmailAddress.Valid @Size(max = 320) String email,
			@Schema(description = "The password: 8–128 characters (Unicode code points), not among the most common passwords, not the email", minLength = PasswordPolicy.MIN_LENGTH, maxLength = PasswordPolicy.MAX_LENGTH, example = "violet kettle harbour 42") @NotNull @Size(max = 1024) String password,
			@Schema(example = "Ada Lovelace") @Size(max = 200) String name) {
	}

	record SignInRequest(@Schema(example = "ada@example.com") @NotBlank @Size(max = 320) String email,
			@Schema(maxLength = PasswordPolicy.MAX_LENGTH, example = "violet kettle harbour 42") @NotBlank @Size(max = 1024) String password) {
	}

	/** The answer when the password was right and a second factor must follow (docs/mfa.md). */
	record MfaRequiredResponse(@Schema(allowableValues = "mfa_required") String status, String mfaToken,
			@Schema(description = "Factors the user can complete the sign-in with: totp, recovery_code, passkey")
			List<String> factors, Instant expiresAt) {
	}

	/** The answer when PLINTO_MFA=required and the user has no factor yet (docs/mfa.md). */
	record EnrollmentRequiredResponse(@Schema(allowableValues = "mfa_enrollment_required") String status,
			@Schema(description = "A bearer token valid only for the enrolment endpoints until expires_at")
			String enrollmentToken, Instant expiresAt, UserView user) {
	}

	/** The answer of sign-up when PLINTO_EMAIL_VERIFICATION=required: no session until the email is confirmed. */
	record VerificationRequiredResponse(@Schema(allowableValues = "verification_required") String status,
			UserView user) {
	}

	@PostMapping(path = "/v1/sign-up", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create an account",
			description = "201 with the token response and a verification email; with PLINTO_EMAIL_VERIFICATION="
					+ "required, 202 {\"status\":\"verification_required\"} and no session until the email is confirmed; "
					+ "with PLINTO_MFA=required, 201 {\"status\":\"mfa_enrollment_required\", enrollment_token, "
					+ "expires_at, user} and no session until a second factor is enrolled (docs/mfa.md).")
	@ApiDocs.Errors({ "validation_failed", "email_taken", "password_too_short", "password_too_long",
			"password_too_common", "password_matches_email", "rate_limited", "passwords_disabled" })
	@ApiResponse(responseCode = "201", description = "Signed up and signed in (or, with PLINTO_MFA=required, a "
			+ "second factor must be enrolled first)", content = @Content(schema = @Schema(oneOf = {
					TokenResponse.class, EnrollmentRequiredResponse.class })))
	@ApiResponse(responseCode = "202", description = "Signed up; with PLINTO_EMAIL_VERIFICATION=required no session "
			+ "until the email is confirmed", content = @Content(schema = @Schema(implementation = VerificationRequiredResponse.class)))
	ResponseEntity<Object> signUp(@Valid @RequestBody SignUpRequest body, ClientInfo client) {
		SignInService.SignUpResult result = signIn.signUp(body.email(), body.password(), body.name(), client);
		if (result.enrollment() != null) {
			SignInService.EnrollmentRequired e = result.enrollment();
			return ResponseEntity.status(HttpStatus.CREATED)
				.cacheControl(CacheControl.noStore())
				.body(new EnrollmentRequiredResponse("mfa_enrollment_required", e.enrollmentToken(), e.expiresAt(),
						e.user()));
		}
		if (result.verificationRequired()) {
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.cacheControl(CacheControl.noStore())
				.body(new VerificationRequiredResponse("verification_required", UserView.of(result.user())));
		}
		return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore()).body(result.tokens());
	}

	@PostMapping(path = "/v1/sign-in", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Sign in with email and password",
			description = "Returns the token response; when the user has a second factor, {\"status\":\"mfa_required\", "
					+ "mfa_token, factors} instead (complete it with POST /v1/sign-in/mfa); with PLINTO_MFA=required "
					+ "and no factor, {\"status\":\"mfa_enrollment_required\", enrollment_token} (docs/mfa.md). "
					+ "Errors: invalid_credentials (401, also for an unknown email), "
					+ "email_not_verified (403, when PLINTO_EMAIL_VERIFICATION=required), rate_limited (429, per IP "
					+ "or after repeated failures for the account), validation_failed (400), sign_in_method_disabled (403, when "
					+ "PLINTO_SIGN_IN_METHODS leaves out password), passwords_disabled (403, for every address of an "
					+ "email domain whose organization signs in through its identity provider only; see POST "
					+ "/v1/sign-in/discover).")
	@ApiResponse(responseCode = "200", description = "Signed in, or a second factor / enrolment is required",
			content = @Content(schema = @Schema(oneOf = { TokenResponse.class, MfaRequiredResponse.class,
					EnrollmentRequiredResponse.class })))
	@ApiDocs.Errors({ "invalid_credentials", "email_not_verified", "rate_limited", "validation_failed",
			"sign_in_method_disabled", "passwords_disabled" })
	ResponseEntity<Object> signIn(@Valid @RequestBody SignInRequest body, ClientInfo client) {
		SignInService.SignInResult result = signIn.signInWithPassword(body.email(), body.password(),
				SignInFlow.Type.API, client);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(answer(result));
	}

	/** The JSON answer of a first factor: tokens, the second-factor step or the enrolment step. */
	static Object answer(SignInService.SignInResult result) {
		if (result instanceof SignInService.MfaRequired m) {
			return new MfaRequiredResponse("mfa_required", m.mfaToken(), m.factors(), m.expiresAt());
		}
		if (result instanceof SignInService.EnrollmentRequired e) {
			return new EnrollmentRequiredResponse("mfa_enrollment_required", e.enrollmentToken(), e.expiresAt(),
					e.user());
		}
		return ((SignInService.Completed) result).tokens();
	}
}
