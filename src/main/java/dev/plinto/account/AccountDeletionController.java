package dev.plinto.account;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's email change and account deletion, both after re-authentication. */
@RestController
@Tag(name = "Account")
final class AccountDeletionController {

	private static final EmailChangeAccepted ACCEPTED = new EmailChangeAccepted("accepted");

	private final AccountDeletion deletion;

	private final EmailChanges emailChanges;

	AccountDeletionController(AccountDeletion deletion, EmailChanges emailChanges) {
		this.deletion = deletion;
		this.emailChanges = emailChanges;
	}

	record DeleteAccountRequest(@Schema(description = "The current password", example = "violet kettle harbour 42")
			@NotNull @Size(max = 1024) String password,
			@Schema(description = "Required when the user has an authenticator app (TOTP): a current code, or an "
					+ "unused recovery code", example = "492039", nullable = true) @Size(max = 64) String code) {
	}

	record ChangeEmailRequest(@Schema(example = "ada@new.example", format = "idn-email",
			description = "The new address; surrounding white space is removed") @NotNull @Size(max = 320) String email,
			@Schema(description = "The current password", example = "violet kettle harbour 42") @NotNull
			@Size(max = 1024) String password) {
	}

	/** The answer of an email-change request: the address stays unchanged until the mailed link is confirmed. */
	record EmailChangeAccepted(@Schema(allowableValues = "accepted") String status) {
	}

	@DeleteMapping(path = "/v1/me", consumes = "application/json")
	@Operation(summary = "Delete the signed-in user's account", description = "Requires the password and, when the "
			+ "user has an authenticator app, a current code (or an unused recovery code). Refused with `last_owner` "
			+ "while the user is the last owner of an organization. Deletes the account, its sessions (their access "
			+ "tokens stop working at once), second factors, passkeys, pending links and memberships; the audit log "
			+ "keeps its events until they expire. Emits `user.deleted`. The notice mail uses `Accept-Language`.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "wrong_password", "mfa_code_required",
			"wrong_mfa_code", "last_owner", "rate_limited" })
	@ApiDocs.Status(value = 204, description = "Deleted; every session of the account has ended")
	ResponseEntity<Void> delete(Caller caller, @Valid @RequestBody DeleteAccountRequest body,
			@Parameter(description = "The language of the notice mail (en, de, fr, es)") @RequestHeader(
					name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language) {
		deletion.delete(caller.userId(), caller.sessionId(), body.password(), body.code(), language,
				caller.client());
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/me/email", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change the email address", description = "Requires the password. Mails a confirmation "
			+ "link to the new address (`PLINTO_EMAIL_VERIFICATION_URL`, confirmed with "
			+ "`POST /v1/email-verification/confirm`); the address changes, verified, only then, and the old address "
			+ "gets a notice. An address of another account is refused with `email_taken`, as sign-up refuses it. "
			+ "The mail uses `Accept-Language`.", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "wrong_password", "email_taken",
			"rate_limited" })
	@ApiDocs.Status(value = 202, description = "Accepted: the link is mailed to the new address")
	ResponseEntity<EmailChangeAccepted> changeEmail(Caller caller, @Valid @RequestBody ChangeEmailRequest body,
			@Parameter(description = "The language of the mails (en, de, fr, es)") @RequestHeader(
					name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language) {
		emailChanges.request(caller.userId(), caller.sessionId(), body.email(), body.password(), language,
				caller.client());
		return ResponseEntity.accepted().body(ACCEPTED);
	}
}
