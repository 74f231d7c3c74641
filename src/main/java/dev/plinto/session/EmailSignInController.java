package dev.plinto.session;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-in with a code or a link mailed to the address ({@link EmailSignInService}). The mails are written in the
 * caller's {@code Accept-Language} when the pages have that language.
 */
@RestController
@Tag(name = "Sign-in and tokens")
final class EmailSignInController {

	private final EmailSignInService emailSignIn;

	EmailSignInController(EmailSignInService emailSignIn) {
		this.emailSignIn = emailSignIn;
	}

	record EmailCodeRequest(@Schema(example = "ada@example.com") @NotBlank @Size(max = 320) String email) {
	}

	record EmailLinkRequest(@Schema(example = "ada@example.com") @NotBlank @Size(max = 320) String email,
			@Schema(description = "Where the hosted page sends the browser after it signed in; kept only when it "
					+ "matches PLINTO_REDIRECT_URLS", example = "https://app.example.com/dashboard")
			@Size(max = 2048) String redirectUrl) {
	}

	record VerifyRequest(@Schema(description = "The flow_id of the email-code answer") @NotBlank @Size(max = 40) String flowId,
			@Schema(description = "The six digits from the email", example = "042917") @NotBlank @Size(max = 20) String code) {
	}

	/** The same answer whether or not the address has an account. */
	record EmailSentResponse(@Schema(allowableValues = { "code_sent", "link_sent" }) String status, String flowId,
			Instant expiresAt) {
	}

	@PostMapping(path = "/v1/sign-in/email-code", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Mail a sign-in code",
			description = "Mails a six-digit code valid for 10 minutes and 5 tries, and answers 202 with the flow_id "
					+ "to verify it with (POST /v1/sign-in/email-code/verify). The answer is the same whether or not "
					+ "an account has the address; without one, no mail is sent unless PLINTO_EMAIL_SIGN_UP=true.")
	@ApiDocs.Errors({ "validation_failed", "rate_limited", "sign_in_method_disabled" })
	@ApiResponse(responseCode = "202", description = "The code is on its way (if the address may sign in)",
			content = @Content(schema = @Schema(implementation = EmailSentResponse.class)))
	ResponseEntity<EmailSentResponse> sendCode(@Valid @RequestBody EmailCodeRequest body,
			@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language, ClientInfo client) {
		EmailSignInService.EmailSent sent = emailSignIn.sendCode(body.email(), language, SignInFlow.Type.API, client);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.cacheControl(CacheControl.noStore())
			.body(new EmailSentResponse("code_sent", sent.flowId(), sent.expiresAt()));
	}

	@PostMapping(path = "/v1/sign-in/email-code/verify", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Sign in with a mailed code",
			description = "Answers like POST /v1/sign-in: the token response; {\"status\":\"mfa_required\", mfa_token, "
					+ "factors} when the user has a second factor; {\"status\":\"mfa_enrollment_required\", "
					+ "enrollment_token} with PLINTO_MFA=required and no factor. The code proves the address, so an "
					+ "unverified email becomes verified, and with PLINTO_EMAIL_SIGN_UP=true an unknown address gets "
					+ "its account here.")
	@ApiResponse(responseCode = "200", description = "Signed in, or a second factor / enrolment is required",
			content = @Content(schema = @Schema(oneOf = { TokenResponse.class, SignInController.MfaRequiredResponse.class,
					SignInController.EnrollmentRequiredResponse.class })))
	@ApiDocs.Errors({ "invalid_email_code", "rate_limited", "validation_failed", "sign_in_method_disabled" })
	ResponseEntity<Object> verifyCode(@Valid @RequestBody VerifyRequest body, ClientInfo client) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(SignInController.answer(emailSignIn.verifyCode(body.flowId(), body.code(), client)));
	}

	@PostMapping(path = "/v1/sign-in/email-link", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Mail a sign-in link",
			description = "Mails a single-use link, valid for 15 minutes, to the hosted page /sign-in/email-link. "
					+ "The link signs in the browser that opens it (after a confirmation button, since this request "
					+ "came from no browser), not the caller: an app that wants tokens uses the email code. The answer "
					+ "is the same whether or not an account has the address.")
	@ApiDocs.Errors({ "validation_failed", "rate_limited", "sign_in_method_disabled" })
	@ApiResponse(responseCode = "202", description = "The link is on its way (if the address may sign in)",
			content = @Content(schema = @Schema(implementation = EmailSentResponse.class)))
	ResponseEntity<EmailSentResponse> sendLink(@Valid @RequestBody EmailLinkRequest body,
			@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language, ClientInfo client) {
		EmailSignInService.EmailSent sent = emailSignIn.sendLink(body.email(), language, body.redirectUrl(), null,
				SignInFlow.Type.API, client);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.cacheControl(CacheControl.noStore())
			.body(new EmailSentResponse("link_sent", sent.flowId(), sent.expiresAt()));
	}
}
