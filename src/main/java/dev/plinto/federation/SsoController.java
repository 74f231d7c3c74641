package dev.plinto.federation;

import dev.plinto.account.UserView;
import dev.plinto.config.FederationSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.SignInSteps;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-in through identity providers for apps with their own screens (docs/federation.md, "JSON API"): the app
 * asks for the authorization URL, sends the browser there, and gets the browser back at its {@code redirect_url}
 * with {@code sso_flow_id} and {@code sso_code}; it exchanges the code, together with the flow id it kept, for the
 * same answer as a password sign-in. Plus the caller's linked identities.
 */
@RestController
@Tag(name = "Sign-in and tokens")
final class SsoController {

	private final SsoFlows flows;

	private final FederatedSignIn federated;

	private final SignInSteps steps;

	private final PlintoSettings settings;

	SsoController(SsoFlows flows, FederatedSignIn federated, SignInSteps steps, PlintoSettings settings) {
		this.flows = flows;
		this.federated = federated;
		this.steps = steps;
		this.settings = settings;
	}

	record StartRequest(
			@Schema(description = "A configured provider's key (google, github, …, or a key of PLINTO_OAUTH_PROVIDERS), "
					+ "or connection:<id> for an organization's OpenID Connect connection", example = "google")
			@NotBlank @Size(max = 80) String provider,
			@Schema(description = "Where the browser returns after the provider, with sso_flow_id and sso_code; must "
					+ "match PLINTO_REDIRECT_URLS", example = "https://app.example.com/auth/callback")
			@NotBlank @Size(max = 2048) String redirectUrl) {
	}

	record StartResponse(String flowId,
			@Schema(description = "Send the browser here (a top-level navigation)") String authorizationUrl,
			Instant expiresAt) {
	}

	record CompleteRequest(@Schema(description = "The flow_id of the start answer, kept by the app") @NotBlank
			@Size(max = 40) String flowId,
			@Schema(description = "The sso_code the browser brought back") @NotBlank @Size(max = 200) String code) {
	}

	record MfaRequiredResponse(@Schema(allowableValues = "mfa_required") String status, String mfaToken,
			List<String> factors, Instant expiresAt) {
	}

	record EnrollmentRequiredResponse(@Schema(allowableValues = "mfa_enrollment_required") String status,
			String enrollmentToken, Instant expiresAt, UserView user) {
	}

	record ProviderInfo(@Schema(example = "google") String key, @Schema(example = "Google") String name) {
	}

	record ProviderList(List<ProviderInfo> providers) {
	}

	record IdentityInfo(String id, @Schema(example = "github") String provider, String email, boolean emailVerified,
			@Schema(description = "name, username and picture as the provider gave them") Map<String, String> profile,
			Instant createdAt, Instant lastUsedAt) {

		static IdentityInfo of(LinkedIdentity i) {
			return new IdentityInfo(i.id(), i.provider(), i.email(), i.emailVerified(), i.profile(), i.createdAt(),
					i.lastUsedAt());
		}
	}

	record IdentityList(List<IdentityInfo> identities) {
	}

	@GetMapping(path = "/v1/sign-in/oauth/providers", produces = "application/json")
	@Operation(summary = "List the identity providers",
			description = "The social and generic providers switched on by PLINTO_OAUTH_*, in the order of the "
					+ "sign-in page's buttons.")
	@ApiDocs.Errors({ "rate_limited" })
	ProviderList providers() {
		FederationSettings f = settings.federation();
		return new ProviderList(f.providers().stream().map(p -> new ProviderInfo(p.key(), p.name())).toList());
	}

	@PostMapping(path = "/v1/sign-in/oauth", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Start a sign-in through an identity provider",
			description = "Answers the provider's authorization URL (with state, PKCE S256 and, for OpenID Connect, a "
					+ "nonce) and the flow_id the app keeps. After the provider, Plinto's callback sends the browser to "
					+ "redirect_url with sso_flow_id and sso_code (or with error); complete with "
					+ "POST /v1/sign-in/oauth/complete within 10 minutes.")
	@ApiDocs.Errors({ "validation_failed", "unknown_provider", "sso_failed", "rate_limited" })
	ResponseEntity<StartResponse> start(@Valid @RequestBody StartRequest body, ClientInfo client) {
		if (steps.allowedTarget(body.redirectUrl()).isEmpty()) {
			throw ApiException.validation("redirect_url", ErrorCode.VALIDATION_FAILED,
					"redirect_url must match PLINTO_REDIRECT_URLS.");
		}
		SsoFlows.Started started = flows.start(body.provider(), FederationFlow.Type.API, body.redirectUrl(), null,
				client);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new StartResponse(started.flowId(), started.authorizationUri().toString(), started.expiresAt()));
	}

	@PostMapping(path = "/v1/sign-in/oauth/complete", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Complete a sign-in through an identity provider",
			description = "Exchanges the sso_code the browser brought back, with the app's flow_id, once. Answers "
					+ "like POST /v1/sign-in: the token response; {\"status\":\"mfa_required\", mfa_token, factors} when "
					+ "the user has a second factor (amr then ends with fed, otp or hwk/swk, mfa); "
					+ "{\"status\":\"mfa_enrollment_required\"} with PLINTO_MFA=required and no factor. A first sign-in "
					+ "creates the account unless PLINTO_OAUTH_SIGN_UP=false; an existing account with the same email "
					+ "is linked only when both addresses are verified.")
	@ApiResponse(responseCode = "200", description = "Signed in, or a second factor / enrolment is required",
			content = @Content(schema = @Schema(oneOf = { TokenResponse.class, MfaRequiredResponse.class,
					EnrollmentRequiredResponse.class })))
	@ApiDocs.Errors({ "validation_failed", "invalid_sso_flow", "identity_not_linked", "sso_sign_up_disabled",
			"identity_email_missing", "email_taken", "member_limit_reached", "rate_limited" })
	ResponseEntity<Object> complete(@Valid @RequestBody CompleteRequest body, ClientInfo client) {
		ExternalIdentity identity = flows.exchange(body.flowId(), body.code(), client);
		SignInService.SignInResult result = federated.signIn(identity, SignInFlow.Type.API, client);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(answer(result));
	}

	@GetMapping(path = "/v1/me/identities", produces = "application/json")
	@Operation(summary = "List the caller's linked identities", description = "Oldest first.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "rate_limited" })
	IdentityList identities(Caller caller) {
		return new IdentityList(federated.identities(caller.userId()).stream().map(IdentityInfo::of).toList());
	}

	@DeleteMapping("/v1/me/identities/{id}")
	@Operation(summary = "Unlink an identity",
			description = "Refused with last_sign_in_method when the account has no password, no passkey and no "
					+ "other linked identity. Needs a recent sign-in (PLINTO_REAUTHENTICATION_WINDOW).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required", "not_found",
			"last_sign_in_method", "rate_limited" })
	@ApiDocs.Status(value = 204, description = "Unlinked")
	ResponseEntity<Void> unlink(Caller caller, @PathVariable String id) {
		federated.unlink(caller.userId(), id, caller.sessionId(), caller.client());
		return ResponseEntity.noContent().build();
	}

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
