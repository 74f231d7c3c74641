package dev.plinto.org;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization's enterprise connections and email domains (docs/federation.md), for members holding
 * {@code org:connections:manage}. The OpenID Connect client secret is accepted, never returned.
 */
@RestController
@Tag(name = "Enterprise connections and domains")
@SecurityRequirement(name = "bearer")
final class OrganizationConnectionController {

	private final EnterpriseConnections connections;

	private final OrganizationDomains domains;

	OrganizationConnectionController(EnterpriseConnections connections, OrganizationDomains domains) {
		this.connections = connections;
		this.domains = domains;
	}

	@Schema(description = "Which claims (OpenID Connect) or attributes (SAML) hold the email, the name and the "
			+ "groups; `roles` maps a group to the organization role its members get")
	record AttributeMappingBody(@Schema(nullable = true, example = "email") String email,
			@Schema(nullable = true, example = "name") String name,
			@Schema(nullable = true, example = "groups") String groups,
			@Schema(nullable = true, example = "{\"acme-admins\": \"admin\"}") @Size(max = 50) Map<String, String> roles) {

		AttributeMapping toMapping() {
			return new AttributeMapping(email, name, groups, roles);
		}
	}

	record CreateConnectionRequest(@Schema(allowableValues = { "oidc", "saml" }) @NotBlank @Size(max = 8) String type,
			@Schema(example = "Acme Okta") @NotBlank @Size(max = 200) @Pattern(regexp = ApiDocs.ONE_LINE) String name,
			@Schema(nullable = true, description = "Default true") Boolean enabled,
			@Schema(nullable = true, example = "https://acme.okta.com", description = "oidc: the issuer (https)") @Size(max = 2048) String issuer,
			@Schema(nullable = true, description = "oidc: the client id Plinto has at the identity provider") @Size(max = 255) String clientId,
			@Schema(nullable = true, description = "oidc: the client secret; write-only, stored sealed, never returned") @Size(max = 500) String clientSecret,
			@Schema(nullable = true, description = "saml: the identity provider's metadata URL (https)") @Size(max = 2048) String metadataUrl,
			@Schema(nullable = true, description = "saml: the identity provider's metadata XML (md:EntityDescriptor)") @Size(max = 60000) String metadataXml,
			@Schema(nullable = true) @Valid AttributeMappingBody attributeMapping,
			@Schema(nullable = true, description = "The role of a member who joins through the connection; default member") @Size(max = 100) String defaultRole) {

		EnterpriseConnections.Settings settings() {
			return new EnterpriseConnections.Settings(type, name, enabled, issuer, clientId, clientSecret, metadataUrl,
					metadataXml, attributeMapping == null ? null : attributeMapping.toMapping(), defaultRole);
		}
	}

	record UpdateConnectionRequest(@Schema(nullable = true, description = "If given, the connection's own type: `oidc` or `saml`") @Size(max = 8) String type,
			@Schema(nullable = true) @Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name,
			@Schema(nullable = true) Boolean enabled, @Schema(nullable = true) @Size(max = 2048) String issuer,
			@Schema(nullable = true) @Size(max = 255) String clientId,
			@Schema(nullable = true, description = "A new client secret; write-only") @Size(max = 500) String clientSecret,
			@Schema(nullable = true) @Size(max = 2048) String metadataUrl,
			@Schema(nullable = true) @Size(max = 60000) String metadataXml,
			@Schema(nullable = true, description = "Replaces the whole mapping") @Valid AttributeMappingBody attributeMapping,
			@Schema(nullable = true) @Size(max = 100) String defaultRole) {

		EnterpriseConnections.Settings settings() {
			return new EnterpriseConnections.Settings(type, name, enabled, issuer, clientId, clientSecret, metadataUrl,
					metadataXml, attributeMapping == null ? null : attributeMapping.toMapping(), defaultRole);
		}
	}

	record ConnectionView(String id, String organizationId, @Schema(allowableValues = { "oidc", "saml" }) String type,
			String name, boolean enabled, @Schema(nullable = true) String issuer,
			@Schema(nullable = true) String clientId,
			@Schema(description = "Whether a client secret is stored (it is never returned)") boolean clientSecretSet,
			@Schema(nullable = true) String metadataUrl, @Schema(nullable = true) String metadataXml,
			AttributeMappingBody attributeMapping, String defaultRole,
			@Schema(description = "Where a browser starts a sign-in through this connection") String startPath,
			Instant createdAt, Instant updatedAt) {

		static ConnectionView of(OrganizationConnection c) {
			AttributeMapping m = AttributeMapping.read(c.attributeMapping());
			return new ConnectionView(c.id(), c.organizationId(), c.type().wire(), c.name(), c.enabled(),
					c.oidcIssuer(), c.oidcClientId(), c.oidcClientSecret() != null, c.samlMetadataUrl(),
					c.samlMetadataXml(), new AttributeMappingBody(m.email(), m.name(), m.groups(), m.roles()),
					c.defaultRole(), new DomainRouting.Route(c.id(), c.type(), false).startPath(), c.createdAt(),
					c.updatedAt());
		}
	}

	record ConnectionList(List<ConnectionView> data) {
	}

	record ClaimDomainRequest(@Schema(example = "acme.com") @NotBlank @Size(max = 253) String domain) {
	}

	record RouteDomainRequest(
			@Schema(nullable = true, description = "The connection that signs this domain's users in; null: none") @Size(max = 100) String connectionId,
			@Schema(description = "Refuse passwords for this domain's addresses (needs connection_id)") @NotNull Boolean passwordsDisabled) {
	}

	@Schema(description = "The DNS TXT record that verifies the claim")
	record Verification(@Schema(allowableValues = "TXT") String type,
			@Schema(example = "_plinto-verification.acme.com") String name,
			@Schema(example = "plinto-verification=3q2-7wEAAAB8Kk0J2r1xZ4lqQ9e0g5u2cV1s4m8oT6c") String value) {
	}

	record DomainView(String domain, @Schema(nullable = true) String connectionId, boolean passwordsDisabled,
			boolean verified, @Schema(nullable = true) Instant verifiedAt,
			@Schema(nullable = true, description = "`dns` or `admin` (the instance operator)") String verifiedBy,
			Verification verification, Instant createdAt) {

		static DomainView of(OrganizationDomain d) {
			return new DomainView(d.domain(), d.connectionId(), d.passwordsDisabled(), d.verified(), d.verifiedAt(),
					d.verifiedBy(), new Verification("TXT", OrganizationDomains.recordName(d.domain()),
							OrganizationDomains.recordValue(d)),
					d.createdAt());
		}
	}

	record DomainList(List<DomainView> data) {
	}

	private static final String NEEDS = "Needs `org:connections:manage`. ";

	@PostMapping(path = "/v1/organizations/{id}/connections", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Create an enterprise connection", description = NEEDS + "`oidc`: `issuer`, `client_id`, "
			+ "`client_secret` (write-only, sealed). `saml`: `metadata_url` (https) or `metadata_xml`. "
			+ "`default_role` and the roles of `attribute_mapping.roles` must be roles of the organization whose "
			+ "`org:*` permissions the caller holds.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_role" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<ConnectionView> create(Caller caller, @PathVariable String id,
			@Valid @RequestBody CreateConnectionRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(ConnectionView.of(connections.create(caller, id, body.settings())));
	}

	@GetMapping(path = "/v1/organizations/{id}/connections", produces = "application/json")
	@Operation(summary = "Enterprise connections", description = NEEDS + "Oldest first; secrets are never returned.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	ConnectionList list(Caller caller, @PathVariable String id) {
		return new ConnectionList(connections.list(caller.userId(), id).stream().map(ConnectionView::of).toList());
	}

	@GetMapping(path = "/v1/organizations/{id}/connections/{connection_id}", produces = "application/json")
	@Operation(summary = "An enterprise connection", description = NEEDS + "404 for a connection of another "
			+ "organization.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	ConnectionView get(Caller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		return ConnectionView.of(connections.get(caller.userId(), id, connectionId));
	}

	@PatchMapping(path = "/v1/organizations/{id}/connections/{connection_id}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Update an enterprise connection", description = NEEDS + "Absent fields stay unchanged; "
			+ "the type cannot change; `attribute_mapping` replaces the whole mapping; a SAML connection's "
			+ "`metadata_url` replaces its `metadata_xml` and the other way round.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_role" })
	ConnectionView update(Caller caller, @PathVariable String id, @PathVariable("connection_id") String connectionId,
			@Valid @RequestBody UpdateConnectionRequest body) {
		return ConnectionView.of(connections.update(caller, id, connectionId, body.settings()));
	}

	@DeleteMapping("/v1/organizations/{id}/connections/{connection_id}")
	@Operation(summary = "Delete an enterprise connection", description = NEEDS + "Domains routed to it route "
			+ "nowhere afterwards.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(Caller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		connections.delete(caller, id, connectionId);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/organizations/{id}/domains", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Claim an email domain", description = NEEDS + "The domain is stored in its ASCII (IDNA) "
			+ "form. Publish the TXT record of `verification`, then verify it. Public suffixes and public mail "
			+ "providers are refused.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"domain_not_allowed", "domain_exists", "domain_taken" })
	@ApiDocs.Status(value = 201, description = "Claimed, not yet verified")
	ResponseEntity<DomainView> claim(Caller caller, @PathVariable String id,
			@Valid @RequestBody ClaimDomainRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(DomainView.of(domains.claim(caller, id, body.domain())));
	}

	@GetMapping(path = "/v1/organizations/{id}/domains", produces = "application/json")
	@Operation(summary = "Claimed email domains", description = NEEDS + "By domain, each with its TXT record.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	DomainList domains(Caller caller, @PathVariable String id) {
		return new DomainList(domains.list(caller.userId(), id).stream().map(DomainView::of).toList());
	}

	@GetMapping(path = "/v1/organizations/{id}/domains/{domain}", produces = "application/json")
	@Operation(summary = "A claimed email domain", description = NEEDS + "With the TXT record that verifies it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	DomainView domain(Caller caller, @PathVariable String id, @PathVariable String domain) {
		return DomainView.of(domains.get(caller.userId(), id, domain));
	}

	@PostMapping(path = "/v1/organizations/{id}/domains/{domain}/verify", produces = "application/json")
	@Operation(summary = "Verify an email domain by its DNS TXT record", description = NEEDS + "Looks up "
			+ "`_plinto-verification.<domain>` TXT now (PLINTO_DNS_SERVERS, or the system's resolvers). Verifying "
			+ "a verified domain answers it unchanged.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "domain_not_verified",
			"domain_taken", "service_unavailable" })
	DomainView verify(Caller caller, @PathVariable String id, @PathVariable String domain) {
		return DomainView.of(domains.verify(caller, id, domain));
	}

	@PutMapping(path = "/v1/organizations/{id}/domains/{domain}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Route an email domain", description = NEEDS + "Sets both the connection its users sign "
			+ "in with (`connection_id`, null for none) and `passwords_disabled` (needs a connection). They take "
			+ "effect while the domain is verified.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_connection" })
	DomainView route(Caller caller, @PathVariable String id, @PathVariable String domain,
			@Valid @RequestBody RouteDomainRequest body) {
		return DomainView.of(domains.route(caller, id, domain, body.connectionId(), body.passwordsDisabled()));
	}

	@DeleteMapping("/v1/organizations/{id}/domains/{domain}")
	@Operation(summary = "Remove an email domain", description = NEEDS + "Its routing ends at once; another "
			+ "organization may then verify it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	@ApiDocs.Status(value = 204, description = "Removed")
	ResponseEntity<Void> deleteDomain(Caller caller, @PathVariable String id, @PathVariable String domain) {
		domains.delete(caller, id, domain);
		return ResponseEntity.noContent().build();
	}
}
