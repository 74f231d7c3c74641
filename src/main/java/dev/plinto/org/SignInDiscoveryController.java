package dev.plinto.org;

import dev.plinto.config.PlintoSettings;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Home-realm discovery for apps with their own sign-in form (docs/federation.md, "Domain routing"): how an email
 * address signs in, decided by its domain alone ({@link DomainRouting}), so the answer is the same for every
 * address of a domain whether or not it has an account (OWASP Authentication Cheat Sheet, "Authentication and Error
 * Messages").
 */
@RestController
@Tag(name = "Sign-in")
final class SignInDiscoveryController {

	private final DomainRouting routing;

	private final PlintoSettings settings;

	private final RateLimiter rateLimiter;

	SignInDiscoveryController(DomainRouting routing, PlintoSettings settings, RateLimiter rateLimiter) {
		this.routing = routing;
		this.settings = settings;
		this.rateLimiter = rateLimiter;
	}

	record DiscoverRequest(@Schema(example = "ada@acme.com") @NotBlank @Size(max = 320) String email) {
	}

	record DiscoverResponse(@Schema(allowableValues = { "password", "sso" }) String strategy,
			@Schema(nullable = true, description = "sso: the organization's connection") String connectionId,
			@Schema(nullable = true, description = "sso: `oidc` or `saml`") String connectionType,
			@Schema(nullable = true, description = "sso: open it in the browser with ?redirect_url=… appended") String startUrl,
			@Schema(description = "Whether passwords are refused for this address") boolean passwordsDisabled) {
	}

	@PostMapping(path = "/v1/sign-in/discover", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Discover how an email address signs in",
			description = "`sso` when the address's domain is verified by an organization and routed to an enabled "
					+ "enterprise connection: open `start_url` (with `?redirect_url=…`) in the browser. Otherwise "
					+ "`password` (or whichever method the server offers). Decided by the domain alone, never by "
					+ "whether an account exists. Counts toward PLINTO_RATE_LIMIT_SIGN_IN per IP, as the sign-in it "
					+ "precedes does.")
	@ApiDocs.Errors({ "validation_failed", "rate_limited" })
	ResponseEntity<DiscoverResponse> discover(@Valid @RequestBody DiscoverRequest body, ClientInfo client) {
		// OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption": an unauthenticated lookup
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		Optional<DomainRouting.Route> route = routing.route(body.email());
		DiscoverResponse answer = route
			.map(r -> new DiscoverResponse("sso", r.connectionId(), r.type().wire(),
					settings.baseUrl() + r.startPath(), r.passwordsDisabled()))
			.orElseGet(() -> new DiscoverResponse("password", null, null, null,
					dev.plinto.account.EmailAddress.domainOf(body.email())
						.map(routing::passwordsDisabled)
						.orElse(false)));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(answer);
	}
}
