package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.OrganizationDomain;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Builds organizations with a SCIM-enabled connection through the real API (sign-up, organization, token), and
 * sends SCIM requests as identity providers do ({@code application/scim+json}, bearer token).
 */
final class ScimFixture {

	private final ApiClient api;

	private final ConnectionRepository connections;

	ScimFixture(ApiClient api, ConnectionRepository connections) {
		this.api = api;
		this.connections = connections;
	}

	/** An organization with its owner, one connection and that connection's SCIM token. */
	record Tenant(String organizationId, String ownerId, String ownerEmail, String ownerToken, String connectionId,
			String scimToken, String baseUrl) {

		String path(String resource) {
			return "/scim/v2/" + connectionId + resource;
		}
	}

	record Person(String id, String email, String accessToken, String refreshToken) {
	}

	Person person(String email) {
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password",
				ApiTestSupport.PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return new Person(r.json().get("user").get("id").asString(), email, r.text("access_token"),
				r.text("refresh_token"));
	}

	Tenant tenant() {
		return tenant("{}", "member");
	}

	Tenant tenant(String attributeMapping, String defaultRole) {
		Person owner = person("owner-" + UUID.randomUUID() + "@example.com");
		ApiClient.Response org = api.post("/v1/organizations", Map.of("name", "Org " + UUID.randomUUID()),
				owner.accessToken());
		assertThat(org.status()).as(org.toString()).isEqualTo(201);
		String organizationId = org.text("id");
		Instant now = Instant.now();
		String connectionId = SecureTokens.newId("con");
		connections.insert(new OrganizationConnection(connectionId, organizationId, OrganizationConnection.Type.OIDC,
				"Corporate IdP", true, "https://idp.example.com", "plinto", null, null, null, attributeMapping,
				defaultRole, null, null, now, now));
		ApiClient.Response token = api.post("/v1/organizations/" + organizationId + "/connections/" + connectionId
				+ "/scim-token", "", owner.accessToken());
		assertThat(token.status()).as(token.toString()).isEqualTo(201);
		return new Tenant(organizationId, owner.id(), owner.email(), owner.accessToken(), connectionId,
				token.text("token"), token.text("scim_base_url"));
	}

	/** Claims and verifies an email domain for the tenant's organization. */
	void verifiedDomain(Tenant tenant, String domain) {
		connections.insertDomain(new OrganizationDomain(tenant.organizationId(), domain, tenant.connectionId(),
				SecureTokens.newSecret(), null, null, false, Instant.now()));
		assertThat(connections.markDomainVerified(tenant.organizationId(), domain, "admin", Instant.now())).isTrue();
	}

	ApiClient.Response scim(String method, String path, String token, String body) {
		HttpRequest.Builder request = api.request(path, token).header("Accept", "application/scim+json");
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/scim+json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		return api.send(request.build());
	}

	ApiClient.Response get(Tenant tenant, String resource) {
		return scim("GET", tenant.path(resource), tenant.scimToken(), null);
	}

	ApiClient.Response post(Tenant tenant, String resource, String body) {
		return scim("POST", tenant.path(resource), tenant.scimToken(), body);
	}

	ApiClient.Response patch(Tenant tenant, String resource, String body) {
		return scim("PATCH", tenant.path(resource), tenant.scimToken(), body);
	}

	ApiClient.Response put(Tenant tenant, String resource, String body) {
		return scim("PUT", tenant.path(resource), tenant.scimToken(), body);
	}

	ApiClient.Response delete(Tenant tenant, String resource) {
		return scim("DELETE", tenant.path(resource), tenant.scimToken(), null);
	}

	/** The member's role in the organization as its owner sees it, or null when not a member. */
	String role(Tenant tenant, String userId) {
		ApiClient.Response members = api.get("/v1/organizations/" + tenant.organizationId() + "/members?limit=100",
				tenant.ownerToken());
		assertThat(members.status()).as(members.toString()).isEqualTo(200);
		for (var member : members.json().get("data")) {
			if (member.get("user_id").asString().equals(userId)) {
				return member.get("role").asString();
			}
		}
		return null;
	}

	static String q(String filter) {
		return java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
	}
}
