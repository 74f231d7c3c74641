package dev.plinto.scim;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "SCIM provisioning")
@SecurityRequirement(name = "bearer")
final class ScimTokenController {

	private final ScimTokens tokens;

	ScimTokenController(ScimTokens tokens) {
		this.tokens = tokens;
	}

	record ScimTokenView(String connectionId,
			@Schema(description = "The bearer token for the identity provider; shown only in this answer") String token,
			Instant createdAt,
			@Schema(description = "The SCIM base URL (Tenant URL) to configure in the identity provider") String scimBaseUrl) {
	}

	@PostMapping(path = "/v1/organizations/{id}/connections/{connection_id}/scim-token", produces = "application/json")
	@Operation(summary = "Create or rotate a connection's SCIM token", description = "Needs `org:manage`. Answers a "
			+ "new bearer token for SCIM provisioning of this connection (docs/federation.md) and the SCIM base URL; the "
			+ "token is shown only here and stored as a SHA-256 hash. A previous token of the connection stops working "
			+ "at once.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	@ApiDocs.Status(value = 201, description = "Created; the token is shown once")
	ResponseEntity<ScimTokenView> create(Caller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		ScimTokens.Issued issued = tokens.issue(caller, id, connectionId);
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(new ScimTokenView(issued.connectionId(), issued.token(), issued.createdAt(), issued.scimBaseUrl()));
	}

	@DeleteMapping("/v1/organizations/{id}/connections/{connection_id}/scim-token")
	@Operation(summary = "Withdraw a connection's SCIM token", description = "Needs `org:manage`. The token stops "
			+ "working at once and provisioning of the connection stops until a new token is created; the users and "
			+ "groups it provisioned stay as they are.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	@ApiDocs.Status(value = 204, description = "Withdrawn (also when the connection had no token)")
	ResponseEntity<Void> revoke(Caller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		tokens.revoke(caller, id, connectionId);
		return ResponseEntity.noContent().build();
	}
}
