package dev.plinto.admin;

import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Backend API's OIDC clients ({@code /v1/admin/clients…}, docs/api.md "Backend API", docs/oidc.md "Clients"):
 * a thin shell over {@link AdminClients}, which calls the service of {@code plinto clients}, so the rules, the
 * refusals and the audit events are the command line's. A new secret is answered once with
 * {@code Cache-Control: no-store} (RFC 9111 §5.2.2.5; as RFC 7591 §3.2.1 asks of a registration's answer); only
 * its salted hash is kept. Scopes declared in {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: OIDC clients")
@SecurityRequirement(name = "apiKey")
final class AdminClientsController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AdminClients clients;

	AdminClientsController(AdminClients clients) {
		this.clients = clients;
	}

	/** The fields of a client; in a change, absent or null fields stay. */
	record ClientRequest(@Schema(example = "Acme dashboard") @Size(max = 200) String name,
			@Schema(description = "Create only: confidential (default) or public", allowableValues = { "confidential",
					"public" }) String type,
			@Schema(example = "[\"https://app.acme.example/callback\"]") @Size(max = 50) List<String> redirectUris,
			@Size(max = 50) List<String> postLogoutRedirectUris,
			@Schema(description = "authorization_code, refresh_token, client_credentials, device_code, token-exchange")
			@Size(max = 10) List<String> grants,
			@Schema(example = "[\"openid\", \"profile\", \"email\"]") @Size(max = 100) List<String> scopes,
			@Schema(description = "Whether users are asked for consent (default true; false for the operator's own apps)")
			Boolean consentRequired,
			@Schema(description = "Whether PKCE with S256 is required (default true; always for a public client)")
			Boolean requirePkce,
			@Schema(description = "An https logo for the consent page; \"\" removes it") @Size(max = 2000) String logoUri,
			@Schema(description = "30 to 86400 (default 300)") Long accessTokenTtlSeconds,
			@Schema(description = "300 to 31536000 (default 2592000)") Long refreshTokenTtlSeconds,
			@Schema(description = "private_key_jwt: where Plinto fetches the client's public keys (https); the client "
					+ "then has no secret") @Size(max = 2000) String jwksUri,
			@Schema(description = "private_key_jwt: the client's public keys as a JWKS; the client then has no secret")
			Map<String, Object> jwks,
			@Schema(description = "Where a logout token is posted (https); \"\" removes it") @Size(max = 2000)
			String backchannelLogoutUri,
			Boolean backchannelLogoutSessionRequired, Boolean refreshWithoutOfflineAccess) {

		OidcClients.Changes changes() {
			if (jwksUri != null && jwks != null) {
				throw ApiException.validation("jwks", ErrorCode.VALIDATION_FAILED,
						"Send jwks_uri or jwks, not both.");
			}
			OidcClients.ClientKeys keys = jwksUri != null ? new OidcClients.ClientKeys(jwksUri, null)
					: jwks != null ? new OidcClients.ClientKeys(null, JSON.writeValueAsString(jwks)) : null;
			return new OidcClients.Changes(name, redirectUris, postLogoutRedirectUris, set(grants), set(scopes),
					consentRequired == null ? null : !consentRequired, requirePkce, logoUri,
					accessTokenTtlSeconds == null ? null : Duration.ofSeconds(accessTokenTtlSeconds),
					refreshTokenTtlSeconds == null ? null : Duration.ofSeconds(refreshTokenTtlSeconds), keys,
					backchannelLogoutUri, backchannelLogoutSessionRequired, refreshWithoutOfflineAccess);
		}

		private static Set<String> set(List<String> values) {
			return values == null ? null : new LinkedHashSet<>(values);
		}
	}

	@GetMapping(path = "/v1/admin/clients", produces = "application/json")
	@Operation(summary = "List OIDC clients, oldest first", description = "Scope `clients:read`. Pass "
			+ "`next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	Page<AdminClients.AdminClient> list(AdminCaller caller,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		return clients.list(cursor, Page.limit(limit));
	}

	@GetMapping(path = "/v1/admin/clients/{id}", produces = "application/json")
	@Operation(summary = "An OIDC client's settings", description = "Scope `clients:read`. Never its secret.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminClients.AdminClient get(AdminCaller caller, @PathVariable String id) {
		return clients.get(id);
	}

	@PostMapping(path = "/v1/admin/clients", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Register an OIDC client", description = "Scope `clients:write`. `name` is required; the "
			+ "rules are those of `plinto clients create`. A confidential client without keys gets a secret, in "
			+ "`client_secret` of this answer only (`Cache-Control: no-store`).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited",
			"validation_failed" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<AdminClients.CreatedClient> create(AdminCaller caller, @Valid @RequestBody ClientRequest body) {
		OidcClients.Type type;
		try {
			type = OidcClients.Type.valueOf((body.type() == null ? "confidential" : body.type())
				.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED, "type is confidential or public.");
		}
		AdminClients.CreatedClient created = clients.create(caller.keyId(), caller.client(), type, body.changes());
		return ResponseEntity.created(URI.create("/v1/admin/clients/" + created.client().id()))
			.cacheControl(CacheControl.noStore())
			.body(created);
	}

	@PatchMapping(path = "/v1/admin/clients/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change an OIDC client", description = "Scope `clients:write`. Absent or null fields "
			+ "stay; a list sent replaces the stored one. The type and the secret stay; `jwks_uri` or `jwks` turns "
			+ "a client with a secret into a `private_key_jwt` one (the secret is dropped).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	AdminClients.AdminClient update(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody ClientRequest body) {
		if (body.type() != null) {
			throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED,
					"A client's type cannot change; delete it and create a new one.");
		}
		return clients.change(caller.keyId(), caller.client(), id, body.changes());
	}

	@PostMapping(path = "/v1/admin/clients/{id}/rotate-secret", produces = "application/json")
	@Operation(summary = "Give an OIDC client a new secret", description = "Scope `clients:write`. The old secret "
			+ "stops working at once; the new one is in `client_secret` of this answer only (`Cache-Control: "
			+ "no-store`).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"client_has_no_secret" })
	ResponseEntity<AdminClients.NewSecret> rotateSecret(AdminCaller caller, @PathVariable String id) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(clients.rotateSecret(caller.keyId(), caller.client(), id));
	}

	@DeleteMapping("/v1/admin/clients/{id}")
	@Operation(summary = "Delete an OIDC client", description = "Scope `clients:write`. Its authorizations go "
			+ "(its refresh tokens stop working, its tokens are inactive at introspection and UserInfo) with its "
			+ "users' consents; access tokens already issued are JWTs a resource server may accept until they "
			+ "expire.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(AdminCaller caller, @PathVariable String id) {
		clients.delete(caller.keyId(), caller.client(), id);
		return ResponseEntity.noContent().build();
	}
}
