package dev.plinto.account;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Email verification and password reset")
final class EmailLinkController {

	private static final Status ACCEPTED = new Status("accepted");

	private final AccountService accounts;

	EmailLinkController(AccountService accounts) {
		this.accounts = accounts;
	}

	/** The answer of the requests that mail a link: the same whether or not an account matches. */
	record Status(@Schema(allowableValues = "accepted") String status) {
	}

	record Verified(@Schema(allowableValues = "verified") String status, UserView user) {
	}

	record EmailRequest(@Schema(example = "ada@example.com", format = "idn-email", description = "The account's email address; surrounding white space is removed") @NotBlank @EmailAddress.Valid(lookup = true) @Size(max = 320) String email) {
	}

	record TokenRequest(@NotBlank @Size(max = 512) String token) {
	}

	record ResetRequest(@NotBlank @Size(max = 512) String token,
			@Schema(description = "The new password: 8–128 characters (Unicode code points), not among the most common passwords, not the email", minLength = PasswordPolicy.MIN_LENGTH, maxLength = PasswordPolicy.MAX_LENGTH, example = "violet kettle harbour 42") @NotNull @Size(max = 1024) String newPassword) {
	}

	@PostMapping(path = "/v1/email-verification", consumes = "application/json", produces = "application/json")
	@Operation(summary = "(Re)send the verification email",
			description = "Always 202, whether or not an unverified account has this email.")
	@ApiDocs.Errors({ "validation_failed", "rate_limited" })
	@ApiDocs.Status(value = 202, description = "Accepted: a link is mailed if an unverified account has this email")
	ResponseEntity<Status> send(@Valid @RequestBody EmailRequest body, ClientInfo client) {
		accounts.resendVerification(body.email(), client);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(ACCEPTED);
	}

	@PostMapping(path = "/v1/email-verification/confirm", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Confirm an email address with the token from the link", description = "A verification "
			+ "link confirms the account's address; the link of an email change (`POST /v1/me/email`) switches the "
			+ "account to the new, verified address and mails the old one a notice in the `Accept-Language`.")
	@ApiDocs.Errors({ "validation_failed", "invalid_verification_token", "email_taken" })
	Verified confirm(@Valid @RequestBody TokenRequest body, ClientInfo client,
			@Parameter(description = "The language of the notice to the old address after an email change")
			@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language) {
		User user = accounts.confirmEmail(body.token(), language, client);
		return new Verified("verified", UserView.of(user));
	}

	@PostMapping(path = "/v1/password-reset", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Request a password reset email",
			description = "Always 202, whether or not an account has this email; 403 passwords_disabled for every "
					+ "address of an email domain whose organization signs in through its identity provider only.")
	@ApiDocs.Errors({ "validation_failed", "rate_limited", "passwords_disabled" })
	@ApiDocs.Status(value = 202, description = "Accepted: a link is mailed if an account has this email")
	ResponseEntity<Status> requestReset(@Valid @RequestBody EmailRequest body,
			ClientInfo client) {
		accounts.requestPasswordReset(body.email(), client);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(ACCEPTED);
	}

	@PostMapping(path = "/v1/password-reset/confirm", consumes = "application/json")
	@Operation(summary = "Set a new password with the token from the reset link",
			description = "Revokes every session of the account.")
	@ApiDocs.Errors({ "validation_failed", "invalid_reset_token", "password_too_short", "password_too_long",
			"password_too_common", "password_matches_email", "passwords_disabled" })
	@ApiDocs.Status(value = 204, description = "Password set; every session of the account is revoked")
	ResponseEntity<Void> confirmReset(@Valid @RequestBody ResetRequest body, ClientInfo client) {
		accounts.resetPassword(body.token(), body.newPassword(), client);
		return ResponseEntity.noContent().build();
	}
}
