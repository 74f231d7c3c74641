package dev.plinto.org;

import dev.plinto.account.PasswordPolicy;
import dev.plinto.account.UserView;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Organizations")
final class InvitationController {

	private final InvitationService invitations;

	InvitationController(InvitationService invitations) {
		this.invitations = invitations;
	}

	record AcceptRequest(@NotBlank @Size(max = 200) String token,
			@Schema(description = "The new account's password (without a bearer token): 8–128 characters (Unicode code points), not among the most common passwords, not the email", minLength = PasswordPolicy.MIN_LENGTH, maxLength = PasswordPolicy.MAX_LENGTH, example = "violet kettle harbour 42") @Size(max = 1024) String password,
			@Schema(example = "Ada Lovelace") @Size(max = 200) @Pattern(regexp = OrganizationController.ONE_LINE) String name) {
	}

	record Accepted(OrganizationController.OrganizationView organization) {
	}

	/** The token response of the new account, with the organization joined. */
	record AcceptedWithAccount(String accessToken, String tokenType, long expiresIn, String refreshToken,
			String sessionId, UserView user, OrganizationController.OrganizationView organization) {
	}

	/** The answer for a new account when PLINTO_MFA=required: an enrolment token instead of a session. */
	record AcceptedWithEnrollment(@Schema(allowableValues = "mfa_enrollment_required") String status,
			@Schema(description = "A bearer token valid only for the enrolment endpoints until expires_at")
			String enrollmentToken, Instant expiresAt, UserView user,
			OrganizationController.OrganizationView organization) {
	}

	/** An invitation waiting for the caller, as {@code GET /v1/me/invitations} lists it. */
	record PendingInvitationView(String id, String organizationId, String organizationName, String role,
			@Schema(nullable = true, description = "Who invited: \"name (email)\", or the email") String inviter,
			Instant expiresAt) {

		static PendingInvitationView of(InvitationService.Pending p) {
			return new PendingInvitationView(p.id(), p.organizationId(), p.organizationName(), p.role(), p.inviter(),
					p.expiresAt());
		}
	}

	record PendingInvitationList(List<PendingInvitationView> data) {
	}

	@GetMapping(path = "/v1/me/invitations", produces = "application/json")
	@Operation(summary = "Invitations waiting for you",
			description = "The unexpired invitations, of any organization, to your account's email address, newest "
					+ "first; empty while that address is not verified.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	PendingInvitationList pending(Caller caller) {
		return new PendingInvitationList(invitations.pendingFor(caller.userId())
			.stream()
			.map(PendingInvitationView::of)
			.toList());
	}

	@PostMapping(path = "/v1/me/invitations/{id}/accept", produces = "application/json")
	@Operation(summary = "Accept an invitation waiting for you",
			description = "Without the link: the same rules as `POST /v1/invitations/accept` with a bearer token (your "
					+ "verified email must be the invited one), the same rate limit and member limit. 404 when no "
					+ "invitation with this id is pending for your address.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "email_not_verified", "invitation_expired",
			"invitation_used", "member_limit_reached", "rate_limited" })
	Accepted acceptPending(Caller caller, @PathVariable String id) {
		return new Accepted(OrganizationController.OrganizationView.of(invitations.accept(caller, id)));
	}

	@PostMapping("/v1/me/invitations/{id}/decline")
	@Operation(summary = "Decline an invitation waiting for you",
			description = "The invitation ends as if revoked: its link stops working. 404 when no invitation with "
					+ "this id is pending for your address.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "email_not_verified",
			"invitation_not_pending" })
	@ApiDocs.Status(value = 204, description = "Declined")
	ResponseEntity<Void> decline(Caller caller, @PathVariable String id) {
		invitations.decline(caller, id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/invitations/accept", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Accept an invitation",
			description = "With a bearer token: the signed-in user, whose verified email must be the invited one, "
					+ "joins; 200 `{organization}`. Without one: `password` (and optional `name`) create the account "
					+ "of the invited email, verified because the link proves the address; 201 token response with "
					+ "`organization` (with PLINTO_MFA=required: 201 {\"status\":\"mfa_enrollment_required\", "
					+ "enrollment_token, expires_at, user, organization} instead, as at sign-up). An existing account "
					+ "must sign in and accept with its token.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "invalid_token", "validation_failed", "invalid_invitation", "invitation_revoked",
			"invitation_expired", "invitation_used", "invitation_email_mismatch", "email_not_verified", "email_taken",
			"member_limit_reached", "password_too_short", "password_too_long", "password_too_common",
			"password_matches_email", "mfa_enrollment_required", "rate_limited" })
	@ApiResponse(responseCode = "200", description = "A signed-in member joined",
			content = @Content(schema = @Schema(implementation = Accepted.class)))
	@ApiResponse(responseCode = "201", description = "A new account was created and joined (or, with "
			+ "PLINTO_MFA=required, must enrol a second factor first)",
			content = @Content(schema = @Schema(oneOf = { AcceptedWithAccount.class, AcceptedWithEnrollment.class })))
	ResponseEntity<Object> accept(Caller caller, @Valid @RequestBody AcceptRequest body) {
		if (caller.signedIn()) {
			OrganizationService.View view = invitations.acceptAsMember(caller.userId(), caller.sessionId(),
					body.token(), caller.client());
			return ResponseEntity.ok(new Accepted(OrganizationController.OrganizationView.of(view)));
		}
		if (body.password() == null) {
			throw ApiException.validation("password", ErrorCode.VALIDATION_FAILED, "password is required to create "
					+ "the account of the invited email; an existing account sends its access token instead.");
		}
		InvitationService.Joined joined = invitations.acceptAsNewUser(body.token(), body.password(), body.name(),
				caller.client());
		if (joined.enrollment() != null) {
			SignInService.EnrollmentRequired e = joined.enrollment();
			return ResponseEntity.status(HttpStatus.CREATED)
				.cacheControl(CacheControl.noStore())
				.body(new AcceptedWithEnrollment("mfa_enrollment_required", e.enrollmentToken(), e.expiresAt(), e.user(),
						OrganizationController.OrganizationView.of(joined.organization())));
		}
		TokenResponse t = joined.tokens();
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(new AcceptedWithAccount(t.accessToken(), t.tokenType(), t.expiresIn(), t.refreshToken(),
					t.sessionId(), t.user(), OrganizationController.OrganizationView.of(joined.organization())));
	}
}
